/* Bounds-checked header parsing shared by the firmware programs.
 *
 * Every parser takes a cursor over [pos, end), checks that the whole header lies inside the
 * frame before reading a byte of it, and advances the cursor past it. On a short or malformed
 * header it returns -1 and leaves the cursor where it was, so callers can tell "not this
 * protocol" from "truncated". The checks are written the way the Linux verifier wants them
 * (compare the end of the header with data_end), so the same objects load in the kernel oracle.
 */
#pragma once

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct fw_cursor {
  void *pos;
  void *end;
};

struct fw_vlan_hdr {
  __be16 tci;
  __be16 encap_proto;
};

/* Stacked VLAN tags we look through (802.1ad outer plus 802.1Q inner). */
#define FW_MAX_VLAN_TAGS 2

static __always_inline struct fw_cursor fw_cursor_of(struct xdp_md *ctx) {
  struct fw_cursor c = {
      .pos = (void *)(long)ctx->data,
      .end = (void *)(long)ctx->data_end,
  };
  return c;
}

/* Ethernet plus up to FW_MAX_VLAN_TAGS VLAN tags. Returns the inner EtherType in network
 * order, or -1 when the frame is too short. When tags_out is not NULL it receives the number
 * of tags looked through (0 to FW_MAX_VLAN_TAGS), so the L2 header is 14 + 4 * tags bytes. */
static __always_inline int fw_parse_eth_tags(struct fw_cursor *c, struct ethhdr **eth_out,
                                             __u32 *tags_out) {
  struct ethhdr *eth = c->pos;
  if ((void *)(eth + 1) > c->end)
    return -1;
  void *pos = eth + 1;
  __be16 proto = eth->h_proto;
  __u32 tags = 0;
#pragma unroll
  for (int i = 0; i < FW_MAX_VLAN_TAGS; i++) {
    if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
      break;
    struct fw_vlan_hdr *vh = pos;
    if ((void *)(vh + 1) > c->end)
      return -1;
    proto = vh->encap_proto;
    pos = vh + 1;
    tags++;
  }
  c->pos = pos;
  if (eth_out)
    *eth_out = eth;
  if (tags_out)
    *tags_out = tags;
  return proto;
}

static __always_inline int fw_parse_eth(struct fw_cursor *c, struct ethhdr **eth_out) {
  return fw_parse_eth_tags(c, eth_out, 0);
}

/* IPv4 header including options. Returns the protocol number, or -1 when the header is
 * truncated, is not version 4 or has IHL < 5. */
static __always_inline int fw_parse_ipv4(struct fw_cursor *c, struct iphdr **ip_out) {
  struct iphdr *ip = c->pos;
  if ((void *)(ip + 1) > c->end)
    return -1;
  if (ip->version != 4 || ip->ihl < 5)
    return -1;
  void *next = (void *)ip + ip->ihl * 4;
  if (next > c->end)
    return -1;
  c->pos = next;
  if (ip_out)
    *ip_out = ip;
  return ip->protocol;
}

/* Fixed IPv6 header (extension headers are not walked). Returns the next-header value. */
static __always_inline int fw_parse_ipv6(struct fw_cursor *c, struct ipv6hdr **ip6_out) {
  struct ipv6hdr *ip6 = c->pos;
  if ((void *)(ip6 + 1) > c->end)
    return -1;
  if (ip6->version != 6)
    return -1;
  c->pos = ip6 + 1;
  if (ip6_out)
    *ip6_out = ip6;
  return ip6->nexthdr;
}

static __always_inline int fw_parse_udp(struct fw_cursor *c, struct udphdr **udp_out) {
  struct udphdr *udp = c->pos;
  if ((void *)(udp + 1) > c->end)
    return -1;
  c->pos = udp + 1;
  *udp_out = udp;
  return 0;
}

/* TCP header including options; -1 when truncated or data offset < 5. */
static __always_inline int fw_parse_tcp(struct fw_cursor *c, struct tcphdr **tcp_out) {
  struct tcphdr *tcp = c->pos;
  if ((void *)(tcp + 1) > c->end)
    return -1;
  if (tcp->doff < 5)
    return -1;
  void *next = (void *)tcp + tcp->doff * 4;
  if (next > c->end)
    return -1;
  c->pos = next;
  *tcp_out = tcp;
  return 0;
}

/* Folds a 32-bit ones'-complement sum (for example bpf_csum_diff's result, which is 16 bits
 * from Linux 6.13 on and 32 bits before) to 16 bits, not inverted. */
static __always_inline __u16 fw_csum_fold(__u32 sum) {
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (__u16)sum;
}
