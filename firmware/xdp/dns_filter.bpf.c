/* dns_filter: drops DNS queries for blocked names.
 *
 * Ethernet (optionally VLAN-tagged) / IPv4 / UDP to the DNS port (.rodata, 53 by default) /
 * DNS header with QR = 0 and at least one question. The first question's name is copied in
 * wire format (length-prefixed labels, terminating zero byte included, ASCII letters folded
 * to lower case, zero padded) into a fixed 64-byte key and looked up in blocked_names, a HASH
 * map whose value counts the hits. A hit drops the frame; anything else passes, including
 * names longer than the key and truncated queries. Counters live in .bss.
 */
#include "fw_parse.h"

#define DNS_NAME_MAX 64

struct dns_hdr {
  __be16 id;
  __be16 flags;
  __be16 qdcount;
  __be16 ancount;
  __be16 nscount;
  __be16 arcount;
};

struct dns_name {
  unsigned char bytes[DNS_NAME_MAX];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, struct dns_name);
  __type(value, __u64);
  __uint(max_entries, 1024);
} blocked_names SEC(".maps");

const volatile __u16 dns_port = 53;

__u64 queries_seen;
__u64 queries_blocked;

/* Copies the question name starting at pos into out. Returns its length in bytes including
 * the terminating zero, or -1 when it runs past the frame or does not fit the key. */
static __noinline int read_qname(unsigned char *pos, void *end, struct dns_name *out) {
#pragma clang loop unroll(disable)
  for (int i = 0; i < DNS_NAME_MAX; i++) {
    unsigned char *p = pos + i;
    if ((void *)(p + 1) > end)
      return -1;
    unsigned char b = *p;
    if (b >= 'A' && b <= 'Z')
      b += 'a' - 'A';
    out->bytes[i] = b;
    if (b == 0)
      return i + 1;
  }
  return -1;
}

SEC("xdp")
int dns_filter(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  struct udphdr *udp;

  if (fw_parse_eth(&c, 0) != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (fw_parse_ipv4(&c, 0) != IPPROTO_UDP)
    return XDP_PASS;
  if (fw_parse_udp(&c, &udp) < 0 || udp->dest != bpf_htons(dns_port))
    return XDP_PASS;

  struct dns_hdr *dns = c.pos;
  if ((void *)(dns + 1) > c.end)
    return XDP_PASS;
  if ((dns->flags & bpf_htons(0x8000)) || dns->qdcount == 0)
    return XDP_PASS; /* a response, or no question */
  __sync_fetch_and_add(&queries_seen, 1);

  struct dns_name name;
  __builtin_memset(&name, 0, sizeof(name));
  if (read_qname((unsigned char *)(dns + 1), c.end, &name) < 0)
    return XDP_PASS;

  __u64 *hits = bpf_map_lookup_elem(&blocked_names, &name);
  if (!hits)
    return XDP_PASS;
  __sync_fetch_and_add(hits, 1);
  __sync_fetch_and_add(&queries_blocked, 1);
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
