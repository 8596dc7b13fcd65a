/* Loader test object: a PERF_EVENT_ARRAY without max_entries, which libbpf sizes to the
 * number of CPUs (and the map unit to its core count). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("xdp")
int perf_default(struct xdp_md *ctx) {
  __u32 marker = 0x11223344;
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &marker, sizeof(marker));
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
