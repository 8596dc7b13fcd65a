/* katran_lb: an L4 load balancer in the style of Katran: VIP lookup, a consistent-hash ring
 * per VIP, a connection table so established flows stick to their real server, and IP-in-IP
 * encapsulation to the chosen real, sent back out of the port (XDP_TX).
 *
 *   vips        HASH {VIP address, port, protocol} -> {vip index, flags}. A miss on the port
 *               is retried with port 0 (a VIP for every port of that protocol).
 *   ring        ARRAY of RING_SIZE slots per VIP (slot vip_index * RING_SIZE + hash %
 *               RING_SIZE) holding real indexes; the control plane fills it (Maglev).
 *   reals       ARRAY real index -> real server address; address 0: no real (dropped).
 *   conn_table  LRU_HASH 5-tuple -> real index: a flow found here keeps its real even when
 *               the ring changes; a new flow is entered after its ring lookup.
 *   lb_config   ARRAY[1]: the gateway MAC (outer destination MAC) and the outer source
 *               address.
 *   stats       PERCPU_ARRAY {packets, bytes}: [vip_index] per VIP, [MAX_VIPS] new flows
 *               (connection table misses), [MAX_VIPS + 1] VIP packets dropped (no real).
 *
 * The flow hash is MurmurHash3's 32-bit mixing over the source address, the ports and the
 * protocol, in host byte order; with F_HASH_NO_SRC_PORT in the VIP's flags the source port
 * is taken as 0 both for the hash and for the connection table, so every flow of a client
 * reaches the same real. Non-TCP/UDP protocols use ports 0.
 *
 * The encapsulated frame: Ethernet (gateway MAC <- the frame's old destination MAC), an outer
 * IPv4 header (lb_config's source, the real as destination, protocol 4, TTL 64, the inner
 * TOS, DF clear, total length = inner + 20, checksum computed here over the header's ten
 * 16-bit words), then the original IP datagram.
 *
 * Traffic that is not for a VIP passes: non-IPv4, VLAN-tagged frames (not parsed, as in
 * Katran) and IPv4 to other addresses, ports or protocols. As in Katran, IPv4 with options or
 * fragments is dropped, as are malformed frames: runts, IHL < 5, truncated IPv4, TCP and UDP
 * headers.
 */
#include "fw_parse.h"

#define MAX_VIPS 16
#define RING_SIZE 61 /* prime, as Maglev wants */
#define MAX_REALS 64
#define STAT_NEW_FLOWS MAX_VIPS
#define STAT_NO_REAL (MAX_VIPS + 1)
#define F_HASH_NO_SRC_PORT 1
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct vip_key {
  __be32 addr;
  __be16 port; /* 0: every port */
  __u8 proto;
  __u8 pad;
};

struct vip_meta {
  __u32 vip_index;
  __u32 flags;
};

struct flow_key {
  __be32 saddr;
  __be32 daddr;
  __be16 sport;
  __be16 dport;
  __u8 proto;
  __u8 pad[3];
};

struct lb_config {
  __u8 gw_mac[ETH_ALEN];
  __u8 pad[2];
  __be32 outer_src;
};

struct lb_stats {
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct vip_key);
  __type(value, struct vip_meta);
  __uint(max_entries, MAX_VIPS);
} vips SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u32); /* real index */
  __uint(max_entries, MAX_VIPS * RING_SIZE);
} ring SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __be32); /* real address */
  __uint(max_entries, MAX_REALS);
} reals SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __type(key, struct flow_key);
  __type(value, __u32); /* real index */
  __uint(max_entries, 4096);
} conn_table SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, struct lb_config);
  __uint(max_entries, 1);
} lb_config SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __type(key, __u32);
  __type(value, struct lb_stats);
  __uint(max_entries, MAX_VIPS + 2);
} stats SEC(".maps");

static __always_inline __u32 rotl32(__u32 x, int r) { return (x << r) | (x >> (32 - r)); }

static __always_inline __u32 murmur_mix(__u32 h, __u32 k) {
  k *= 0xcc9e2d51;
  k = rotl32(k, 15);
  k *= 0x1b873593;
  h ^= k;
  h = rotl32(h, 13);
  return h * 5 + 0xe6546b64;
}

static __always_inline __u32 flow_hash(const struct flow_key *f) {
  __u32 h = murmur_mix(0, bpf_ntohl(f->saddr));
  h = murmur_mix(h, ((__u32)bpf_ntohs(f->sport) << 16) | bpf_ntohs(f->dport));
  h = murmur_mix(h, f->proto);
  h ^= 12; /* bytes hashed */
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

static __always_inline void count(__u32 index, __u64 bytes) {
  struct lb_stats *st = bpf_map_lookup_elem(&stats, &index);
  if (st) {
    st->packets += 1;
    st->bytes += bytes;
  }
}

SEC("xdp")
int katran_lb(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct ethhdr *eth;
  struct iphdr *ip;
  __u32 tags;
  __u64 frame_len = ctx->data_end - ctx->data;

  int eth_proto = fw_parse_eth_tags(&c, &eth, &tags);
  if (eth_proto < 0)
    return XDP_DROP;
  if (eth_proto != bpf_htons(ETH_P_IP) || tags != 0)
    return XDP_PASS;
  int proto = fw_parse_ipv4(&c, &ip);
  if (proto < 0 || ip->ihl != 5)
    return XDP_DROP;
  if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
    return XDP_DROP;

  struct flow_key flow = {.saddr = ip->saddr, .daddr = ip->daddr, .proto = (__u8)proto};
  if (proto == IPPROTO_TCP) {
    struct tcphdr *tcp;
    if (fw_parse_tcp(&c, &tcp) < 0)
      return XDP_DROP;
    flow.sport = tcp->source;
    flow.dport = tcp->dest;
  } else if (proto == IPPROTO_UDP) {
    struct udphdr *udp;
    if (fw_parse_udp(&c, &udp) < 0)
      return XDP_DROP;
    flow.sport = udp->source;
    flow.dport = udp->dest;
  }

  struct vip_key vk = {.addr = flow.daddr, .port = flow.dport, .proto = flow.proto};
  struct vip_meta *vip = bpf_map_lookup_elem(&vips, &vk);
  if (!vip) {
    vk.port = 0;
    vip = bpf_map_lookup_elem(&vips, &vk);
    if (!vip)
      return XDP_PASS;
  }
  __u32 vip_index = vip->vip_index;
  if (vip_index >= MAX_VIPS)
    return XDP_DROP;
  if (vip->flags & F_HASH_NO_SRC_PORT)
    flow.sport = 0;
  count(vip_index, frame_len);

  __u32 real_index;
  __u32 *known = bpf_map_lookup_elem(&conn_table, &flow);
  if (known) {
    real_index = *known;
  } else {
    __u32 slot = vip_index * RING_SIZE + flow_hash(&flow) % RING_SIZE;
    __u32 *r = bpf_map_lookup_elem(&ring, &slot);
    if (!r)
      return XDP_DROP;
    real_index = *r;
  }
  __be32 *real = bpf_map_lookup_elem(&reals, &real_index);
  if (!real || *real == 0) {
    count(STAT_NO_REAL, frame_len);
    return XDP_DROP;
  }
  __be32 real_addr = *real;
  if (!known) {
    bpf_map_update_elem(&conn_table, &flow, &real_index, BPF_ANY);
    count(STAT_NEW_FLOWS, frame_len);
  }

  __u32 zero = 0;
  struct lb_config *cfg = bpf_map_lookup_elem(&lb_config, &zero);
  if (!cfg)
    return XDP_DROP;
  __u8 our_mac[ETH_ALEN];
  __builtin_memcpy(our_mac, eth->h_dest, ETH_ALEN);
  __be16 inner_len = ip->tot_len;
  __u8 tos = ip->tos;

  if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
    return XDP_DROP;
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *new_eth = data;
  struct iphdr *outer = (void *)(new_eth + 1);
  if ((void *)(outer + 1) > end)
    return XDP_DROP;
  __builtin_memcpy(new_eth->h_dest, cfg->gw_mac, ETH_ALEN);
  __builtin_memcpy(new_eth->h_source, our_mac, ETH_ALEN);
  new_eth->h_proto = bpf_htons(ETH_P_IP);
  outer->version = 4;
  outer->ihl = 5;
  outer->tos = tos;
  outer->tot_len = bpf_htons(bpf_ntohs(inner_len) + sizeof(struct iphdr));
  outer->id = 0;
  outer->frag_off = 0;
  outer->ttl = 64;
  outer->protocol = IPPROTO_IPIP;
  outer->check = 0;
  outer->saddr = cfg->outer_src;
  outer->daddr = real_addr;
  __u32 sum = 0;
  __u16 *word = (__u16 *)outer;
#pragma unroll
  for (int i = 0; i < (int)(sizeof(*outer) / 2); i++)
    sum += word[i];
  outer->check = (__u16)~fw_csum_fold(sum);
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
