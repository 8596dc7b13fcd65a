/* Loader test object: an extern __kconfig variable, which the loader refuses. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp")
int reads_kconfig(struct xdp_md *ctx __attribute__((unused))) {
  return LINUX_KERNEL_VERSION > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
