/* icmp_frag_needed: answers IPv4 datagrams that are too big for the next link and may not be
 * fragmented with ICMP "destination unreachable, fragmentation needed" (type 3, code 4,
 * RFC 792 and RFC 1191), built in place and sent back out of the port (XDP_TX).
 *
 * The MTU is config[0] (ARRAY; 0 disables the responder, values below 68, the IPv4
 * minimum, count as 68). A datagram is answered when its total length exceeds the MTU, DF is
 * set, it is not a non-initial fragment, its destination is not multicast or broadcast
 * (224.0.0.0 and up) and it is not an ICMP message other than echo request or reply (no
 * errors about errors). The reply keeps the L2 header (VLAN tags included) with the MAC
 * addresses swapped, then: a new IPv4 header (swapped addresses, TOS 0xc0, TTL 64, no
 * options), the ICMP header with the MTU in its second word, and the offending IP header plus
 * the first 8 bytes of its payload. The quoted bytes are read with bpf_xdp_load_bytes, the
 * frame is cut (or, for a short datagram with a long header, grown) to the reply's length with
 * bpf_xdp_adjust_tail, the headers are written with bpf_xdp_store_bytes, and both checksums
 * come from bpf_csum_diff.
 *
 * Everything else passes. Runts, truncated VLAN tags and malformed IPv4 headers (IHL < 5,
 * header or total length beyond the frame) are dropped. Counters live in .bss.
 */
#include "fw_parse.h"

#define ICMP_DEST_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define IPV4_MIN_MTU 68
#define IP_DF 0x4000
#define IP_OFFSET 0x1fff
#define QUOTE_MAX (60 + 8) /* longest IPv4 header plus 8 bytes */

struct config {
  __u32 mtu;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, struct config);
  __uint(max_entries, 1);
} config SEC(".maps");

struct icmp_frag_msg {
  __u8 type;
  __u8 code;
  __u16 checksum;
  __be16 unused;
  __be16 mtu;
  __u8 quoted[QUOTE_MAX];
};

__u64 replies;
__u64 errors;
__u64 malformed;

SEC("xdp")
int icmp_frag_needed(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct iphdr *ip;
  __u32 tags;

  int eth_proto = fw_parse_eth_tags(&c, 0, &tags);
  if (eth_proto < 0)
    goto malformed;
  if (eth_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  int proto = fw_parse_ipv4(&c, &ip);
  if (proto < 0)
    goto malformed;
  __u32 frame_len = ctx->data_end - ctx->data;
  __u32 l2_len = 14 + 4 * tags;
  __u32 ip_hlen = ip->ihl * 4;
  __u32 tot_len = bpf_ntohs(ip->tot_len);
  if (tot_len < ip_hlen || tot_len > frame_len - l2_len)
    goto malformed;

  __u32 zero = 0;
  struct config *cfg = bpf_map_lookup_elem(&config, &zero);
  if (!cfg || cfg->mtu == 0)
    return XDP_PASS;
  __u32 mtu = cfg->mtu < IPV4_MIN_MTU ? IPV4_MIN_MTU : cfg->mtu;
  __u16 frag = bpf_ntohs(ip->frag_off);
  if (tot_len <= mtu || !(frag & IP_DF) || (frag & IP_OFFSET))
    return XDP_PASS;
  if ((bpf_ntohl(ip->daddr) >> 28) >= 0xe)
    return XDP_PASS;
  if (proto == IPPROTO_ICMP) {
    __u8 *type = c.pos;
    if ((void *)(type + 1) > c.end)
      goto malformed;
    if (*type != 0 && *type != 8)
      return XDP_PASS;
  }

  /* The ICMP message: header, then the quoted IP header and 8 payload bytes (present: the
   * datagram is longer than the MTU, which is at least 68). */
  struct icmp_frag_msg msg = {};
  __u32 quoted = (ip_hlen & 0x3c) + 8;
  if (bpf_xdp_load_bytes(ctx, l2_len, msg.quoted, quoted))
    goto malformed;
  msg.type = ICMP_DEST_UNREACH;
  msg.code = ICMP_FRAG_NEEDED;
  msg.mtu = bpf_htons((__u16)mtu);
  __u32 msg_len = 8 + quoted;
  msg.checksum = (__u16)~fw_csum_fold((__u32)bpf_csum_diff(0, 0, (__be32 *)&msg, msg_len, 0));

  struct iphdr reply = {
      .version = 4,
      .ihl = 5,
      .tos = 0xc0,
      .tot_len = bpf_htons((__u16)(sizeof(struct iphdr) + msg_len)),
      .ttl = 64,
      .protocol = IPPROTO_ICMP,
      .saddr = ip->daddr,
      .daddr = ip->saddr,
  };
  reply.check = (__u16)~fw_csum_fold((__u32)bpf_csum_diff(0, 0, (__be32 *)&reply,
                                                         sizeof(reply), 0));

  int delta = (int)(l2_len + sizeof(reply) + msg_len) - (int)frame_len;
  if (bpf_xdp_adjust_tail(ctx, delta))
    goto error;
  if (bpf_xdp_store_bytes(ctx, l2_len, &reply, sizeof(reply)))
    goto error;
  if (bpf_xdp_store_bytes(ctx, l2_len + sizeof(reply), &msg, msg_len))
    goto error;

  void *data = (void *)(long)ctx->data;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
    goto error;
  __u8 mac[ETH_ALEN];
  __builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
  __builtin_memcpy(eth->h_source, mac, ETH_ALEN);
  __sync_fetch_and_add(&replies, 1);
  return XDP_TX;

error:
  __sync_fetch_and_add(&errors, 1);
  return XDP_DROP;

malformed:
  __sync_fetch_and_add(&malformed, 1);
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
