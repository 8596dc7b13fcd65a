/* Loader test object: a call to a kfunc (an extern function resolved against kernel BTF),
 * which the loader refuses. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

extern int bpf_fake_kfunc(int x) __ksym;

SEC("xdp")
int calls_kfunc(struct xdp_md *ctx) {
  return bpf_fake_kfunc((int)ctx->rx_queue_index);
}

char LICENSE[] SEC("license") = "GPL";
