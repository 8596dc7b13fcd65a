/* ipip_encap: an IP-in-IP (protocol 4, RFC 2003) tunnel encapsulator.
 *
 * An IPv4 frame whose destination address is a key of tunnels (HASH) gets an outer IPv4
 * header in front of its IP header: bpf_xdp_adjust_head(-20) makes room, the L2 header
 * (with its VLAN tags, if any) is rewritten 20 bytes earlier with the tunnel's MAC
 * addresses, and the outer header carries the tunnel's source and destination, protocol 4,
 * TTL outer_ttl (.rodata), the inner DF bit, total length = inner total length + 20 and a
 * checksum from bpf_csum_diff. When the outer destination is itself a tunnel key the frame is
 * encapsulated again (nested tunnels), up to MAX_NEST times. A tunnel with ifindex 0 sends the
 * frame back out (XDP_TX); any other ifindex goes to bpf_redirect.
 *
 * A misconfigured table whose tunnels point at each other nests until the 216 bytes of
 * headroom run out (10 levels): bpf_xdp_adjust_head then fails with -EINVAL, and the frame is
 * dropped and counted in encap_errors. MAX_NEST (16) only bounds the loop for the verifier;
 * the headroom runs out first. IPv4 frames to other destinations and non-IPv4 frames pass.
 * Runts, truncated VLAN tags, malformed IPv4 headers (IHL < 5, header or total length beyond
 * the frame) are dropped. Counters live in .bss.
 */
#include "fw_parse.h"

#define MAX_NEST 16

struct tunnel {
  __be32 saddr;              /* outer source */
  __be32 daddr;              /* outer destination (looked up again: nesting) */
  __u8 dmac[ETH_ALEN];       /* next hop */
  __u8 smac[ETH_ALEN];       /* our port */
  __u32 ifindex;             /* 0: XDP_TX, else bpf_redirect(ifindex, 0) */
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, __be32); /* inner destination address */
  __type(value, struct tunnel);
  __uint(max_entries, 1024);
} tunnels SEC(".maps");

const volatile __u8 outer_ttl = 64;

__u64 encapsulated;
__u64 encap_errors;
__u64 malformed;

/* Writes the L2 header (tunnel MACs, the saved VLAN tags, EtherType IPv4) and the outer IPv4
 * header at the new start of the frame. Returns -1 when the frame is too short (cannot
 * happen after a successful adjust_head, but the verifier wants the check). */
static __always_inline int write_outer(struct xdp_md *ctx, const struct tunnel *t, __u32 tags,
                                       __be16 tpid, const struct fw_vlan_hdr *tag,
                                       __be16 inner_len, __be16 inner_df, __u8 tos) {
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end)
    return -1;
  __builtin_memcpy(eth->h_dest, t->dmac, ETH_ALEN);
  __builtin_memcpy(eth->h_source, t->smac, ETH_ALEN);
  /* tags <= FW_MAX_VLAN_TAGS (2): the L2 header is 14, 18 or 22 bytes. */
  __be16 *type = (void *)&eth->h_proto;
  if (tags > 0) {
    eth->h_proto = tpid;
    struct fw_vlan_hdr *vh = (void *)(eth + 1);
    if ((void *)(vh + 1) > end)
      return -1;
    vh->tci = tag[0].tci;
    vh->encap_proto = tag[0].encap_proto;
    type = &vh->encap_proto;
    if (tags > 1) {
      vh = (void *)(vh + 1);
      if ((void *)(vh + 1) > end)
        return -1;
      vh->tci = tag[1].tci;
      vh->encap_proto = tag[1].encap_proto;
      type = &vh->encap_proto;
    }
  }
  struct iphdr *outer = (void *)(type + 1);
  if ((void *)(outer + 1) > end)
    return -1;
  *type = bpf_htons(ETH_P_IP);
  outer->version = 4;
  outer->ihl = 5;
  outer->tos = tos;
  outer->tot_len = bpf_htons(bpf_ntohs(inner_len) + sizeof(struct iphdr));
  outer->id = 0;
  outer->frag_off = inner_df;
  outer->ttl = outer_ttl;
  outer->protocol = IPPROTO_IPIP;
  outer->check = 0;
  outer->saddr = t->saddr;
  outer->daddr = t->daddr;
  __s64 sum = bpf_csum_diff(0, 0, (__be32 *)outer, sizeof(*outer), 0);
  outer->check = (__u16)~fw_csum_fold((__u32)sum);
  return 0;
}

SEC("xdp")
int ipip_encap(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct ethhdr *eth;
  struct iphdr *ip;
  __u32 tags;

  int eth_proto = fw_parse_eth_tags(&c, &eth, &tags);
  if (eth_proto < 0)
    goto malformed;
  if (eth_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (fw_parse_ipv4(&c, &ip) < 0)
    goto malformed;
  __u32 frame_len = ctx->data_end - ctx->data;
  __u32 l3_len = frame_len - 14 - 4 * tags;
  __u16 tot_len = bpf_ntohs(ip->tot_len);
  if (tot_len < ip->ihl * 4 || tot_len > l3_len)
    goto malformed;

  struct tunnel *t = bpf_map_lookup_elem(&tunnels, &ip->daddr);
  if (!t)
    return XDP_PASS;

  /* Everything write_outer needs from the old headers, saved before they move. */
  struct fw_vlan_hdr tag[FW_MAX_VLAN_TAGS] = {};
  struct fw_vlan_hdr *vh = (void *)(eth + 1);
  if (tags > 0) {
    if ((void *)(vh + 1) > c.end)
      goto malformed;
    tag[0] = vh[0];
  }
  if (tags > 1) {
    if ((void *)(vh + 2) > c.end)
      goto malformed;
    tag[1] = vh[1];
  }
  __be16 tpid = eth->h_proto;
  __be16 len = ip->tot_len;
  __be16 df = ip->frag_off & bpf_htons(0x4000);
  __u8 tos = ip->tos;

  __u32 ifindex = 0;
  for (int level = 0; level < MAX_NEST; level++) {
    struct tunnel cur = *t;
    if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
      goto error; /* out of headroom */
    if (write_outer(ctx, &cur, tags, tpid, tag, len, df, tos))
      goto error;
    __sync_fetch_and_add(&encapsulated, 1);
    ifindex = cur.ifindex;
    len = bpf_htons(bpf_ntohs(len) + sizeof(struct iphdr));
    t = bpf_map_lookup_elem(&tunnels, &cur.daddr);
    if (!t)
      return ifindex ? (int)bpf_redirect(ifindex, 0) : XDP_TX;
  }
  /* Still nesting after MAX_NEST levels. */
error:
  __sync_fetch_and_add(&encap_errors, 1);
  return XDP_DROP;

malformed:
  __sync_fetch_and_add(&malformed, 1);
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
