/* faulty_nomap: faulty.bpf.c without its map, so that it runs on engines without a map
 * unit: IPv6 frames store into the read-only context (fault read_only_write), frames whose
 * first byte is 0xff loop until the instruction budget runs out, the rest pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int faulty_nomap(struct xdp_md *ctx) {
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  if (data + 14 > end) return XDP_DROP;
  if (data[12] == 0x86 && data[13] == 0xdd) {
    ((volatile __u32 *)ctx)[4] = 7;
    return XDP_PASS;
  }
  if (data[0] == 0xff) {
    volatile __u64 n = 0;
    while (n != 1) n += 2;
    return XDP_PASS;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
