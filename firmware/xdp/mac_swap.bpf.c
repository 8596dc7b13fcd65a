/* mac_swap: a reflector. Swaps the Ethernet destination and source addresses and sends the
 * frame back out of the port it came in on (XDP_TX). Frames shorter than an Ethernet header
 * are dropped. */
#include "fw_parse.h"

SEC("xdp")
int mac_swap(struct xdp_md *ctx) {
  struct ethhdr *eth = (void *)(long)ctx->data;
  if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
    return XDP_DROP;

  unsigned char tmp[ETH_ALEN];
  __builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
  __builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
