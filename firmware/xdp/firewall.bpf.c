/* firewall: a stateful 5-tuple firewall for IPv4.
 *
 * A new flow is allowed when rules (HASH) holds XDP_PASS for its {protocol, destination
 * port}, or failing that for {protocol, port 0} (any port). Allowed flows are entered in
 * conntrack (LRU_HASH keyed by the 5-tuple, so the oldest flows are evicted when it is
 * full); packets of a tracked flow, and replies to one (the reversed tuple), pass without a
 * rule lookup and are counted per flow. Everything else gets default_action (.rodata,
 * XDP_DROP). Frames that are not IPv4 get non_ip_action (.rodata, XDP_PASS); IPv4 frames with
 * a malformed or truncated header are dropped. Protocols without ports (ICMP, ...) use port 0.
 */
#include "fw_parse.h"

struct rule_key {
  __u8 proto;
  __u8 pad;
  __be16 dport; /* 0: any port */
};

struct flow_key {
  __be32 saddr;
  __be32 daddr;
  __be16 sport;
  __be16 dport;
  __u8 proto;
  __u8 pad[3];
};

struct flow_stats {
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct rule_key);
  __type(value, __u32); /* XDP action */
  __uint(max_entries, 256);
} rules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __type(key, struct flow_key);
  __type(value, struct flow_stats);
  __uint(max_entries, 4096);
} conntrack SEC(".maps");

const volatile __u32 default_action = XDP_DROP;
const volatile __u32 non_ip_action = XDP_PASS;

__u64 new_flows;
__u64 dropped;

/* Counts a packet against a tracked flow; returns 1 when key (or its reverse) is tracked. */
static __noinline int track(struct flow_key *key, __u64 len) {
  struct flow_stats *st = bpf_map_lookup_elem(&conntrack, key);
  if (!st) {
    struct flow_key rev = {
        .saddr = key->daddr,
        .daddr = key->saddr,
        .sport = key->dport,
        .dport = key->sport,
        .proto = key->proto,
    };
    st = bpf_map_lookup_elem(&conntrack, &rev);
    if (!st)
      return 0;
  }
  __sync_fetch_and_add(&st->packets, 1);
  __sync_fetch_and_add(&st->bytes, len);
  return 1;
}

static __always_inline __u32 rule_action(__u8 proto, __be16 dport) {
  struct rule_key rk = {.proto = proto, .dport = dport};
  __u32 *action = bpf_map_lookup_elem(&rules, &rk);
  if (!action) {
    rk.dport = 0;
    action = bpf_map_lookup_elem(&rules, &rk);
  }
  return action ? *action : default_action;
}

SEC("xdp")
int firewall(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct iphdr *ip;
  __u64 len = ctx->data_end - ctx->data;

  int eth_proto = fw_parse_eth(&c, 0);
  if (eth_proto < 0)
    goto drop;
  if (eth_proto != bpf_htons(ETH_P_IP))
    return non_ip_action;
  int proto = fw_parse_ipv4(&c, &ip);
  if (proto < 0)
    goto drop;

  struct flow_key key = {.saddr = ip->saddr, .daddr = ip->daddr, .proto = (__u8)proto};
  if (proto == IPPROTO_TCP) {
    struct tcphdr *tcp;
    if (fw_parse_tcp(&c, &tcp) < 0)
      goto drop;
    key.sport = tcp->source;
    key.dport = tcp->dest;
  } else if (proto == IPPROTO_UDP) {
    struct udphdr *udp;
    if (fw_parse_udp(&c, &udp) < 0)
      goto drop;
    key.sport = udp->source;
    key.dport = udp->dest;
  }

  if (track(&key, len))
    return XDP_PASS;
  if (rule_action(key.proto, key.dport) != XDP_PASS)
    goto drop;

  struct flow_stats first = {.packets = 1, .bytes = len};
  if (bpf_map_update_elem(&conntrack, &key, &first, BPF_NOEXIST) == 0)
    __sync_fetch_and_add(&new_flows, 1);
  return XDP_PASS;

drop:
  __sync_fetch_and_add(&dropped, 1);
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
