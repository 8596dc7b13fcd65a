/* tail_chain: a pipeline of three programs joined by tail calls through a PROG_ARRAY whose
 * slots are filled from the object itself (the `values` initialiser of jmp_table).
 *
 * tail_entry counts every frame and jumps to slot 0 for IPv4; tail_ipv4 jumps to slot 1 for
 * ICMP; tail_icmp counts ICMP frames and drops them when drop_icmp (.rodata) is set. Slot 2
 * is left empty: a tail call to it fails and the caller goes on, as in Linux. Whatever is not
 * handled passes.
 */
#include "fw_parse.h"

const volatile __u8 drop_icmp = 1;

__u64 frames;
__u64 icmp_frames;

SEC("xdp")
int tail_icmp(struct xdp_md *ctx __attribute__((unused))) {
  __sync_fetch_and_add(&icmp_frames, 1);
  return drop_icmp ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int tail_ipv4(struct xdp_md *ctx);

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __type(value, __u32);
  __array(values, int(struct xdp_md *));
} jmp_table SEC(".maps") = {
    .values =
        {
            [0] = (void *)&tail_ipv4,
            [1] = (void *)&tail_icmp,
        },
};

SEC("xdp")
int tail_ipv4(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  if (fw_parse_eth(&c, 0) != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  if (fw_parse_ipv4(&c, 0) == IPPROTO_ICMP)
    bpf_tail_call(ctx, &jmp_table, 1);
  return XDP_PASS;
}

SEC("xdp")
int tail_entry(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  __sync_fetch_and_add(&frames, 1);
  if (fw_parse_eth(&c, 0) == bpf_htons(ETH_P_IP))
    bpf_tail_call(ctx, &jmp_table, 0);
  else
    bpf_tail_call(ctx, &jmp_table, 2);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
