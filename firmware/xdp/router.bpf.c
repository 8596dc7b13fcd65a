/* router: an IPv4 forwarding plane.
 *
 * The destination address is looked up in routes (LPM_TRIE, longest prefix wins). On a hit
 * the TTL is decremented with an incremental checksum update (RFC 1624), the Ethernet
 * addresses are rewritten to the route's next hop and egress port, and the frame is
 * redirected through tx_ports (DEVMAP) to the route's port slot. Frames the router does not
 * handle go to the host (XDP_PASS): non-IPv4, TTL <= 1 (the host sends the ICMP time
 * exceeded), no route, and IP options. Malformed IPv4 headers are dropped.
 */
#include "fw_parse.h"

struct route_key {
  __u32 prefixlen; /* LPM keys start with the prefix length in bits */
  __be32 addr;
};

struct route {
  __u32 port;              /* slot in tx_ports */
  __u8 next_hop[ETH_ALEN]; /* destination MAC */
  __u8 port_mac[ETH_ALEN]; /* source MAC of the egress port */
};

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __type(key, struct route_key);
  __type(value, struct route);
  __uint(max_entries, 1024);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __type(key, __u32);
  __type(value, __u32); /* ifindex */
  __uint(max_entries, 16);
} tx_ports SEC(".maps");

__u64 forwarded;
__u64 no_route;
__u64 ttl_exceeded;

static __always_inline __u16 csum_fold(__u32 sum) {
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (__u16)sum;
}

/* Decrements the TTL and patches the header checksum for the changed 16-bit word
 * (TTL, protocol): HC' = ~(~HC + ~m + m'), RFC 1624 eqn. 3. */
static __noinline void ipv4_decrement_ttl(struct iphdr *ip) {
  __u16 old_word = (__u16)((ip->ttl << 8) | ip->protocol);
  ip->ttl -= 1;
  __u16 new_word = (__u16)((ip->ttl << 8) | ip->protocol);
  __u32 sum = (__u16)~bpf_ntohs(ip->check);
  sum += (__u16)~old_word;
  sum += new_word;
  ip->check = bpf_htons((__u16)~csum_fold(sum));
}

SEC("xdp")
int router(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct ethhdr *eth;
  struct iphdr *ip;

  int eth_proto = fw_parse_eth(&c, &eth);
  if (eth_proto != bpf_htons(ETH_P_IP))
    return eth_proto < 0 ? XDP_DROP : XDP_PASS;
  if (fw_parse_ipv4(&c, &ip) < 0)
    return XDP_DROP;
  if (ip->ihl != 5)
    return XDP_PASS;
  if (ip->ttl <= 1) {
    __sync_fetch_and_add(&ttl_exceeded, 1);
    return XDP_PASS;
  }

  struct route_key key = {.prefixlen = 32, .addr = ip->daddr};
  struct route *rt = bpf_map_lookup_elem(&routes, &key);
  if (!rt) {
    __sync_fetch_and_add(&no_route, 1);
    return XDP_PASS;
  }

  ipv4_decrement_ttl(ip);
  __builtin_memcpy(eth->h_dest, rt->next_hop, ETH_ALEN);
  __builtin_memcpy(eth->h_source, rt->port_mac, ETH_ALEN);
  __sync_fetch_and_add(&forwarded, 1);
  return (int)bpf_redirect_map(&tx_ports, rt->port, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
