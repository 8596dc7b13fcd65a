/* sampler: passes every frame and samples some of them to the host, through both event
 * channels: every perf_every-th frame (.rodata, 3) with bpf_perf_event_output into samples
 * (PERF_EVENT_ARRAY, ring of the current CPU) and every ringbuf_every-th frame (.rodata, 4)
 * with bpf_ringbuf_output into events (RINGBUF). A value of 0 turns a channel off.
 *
 * The decision is deterministic, so that engines compare: frames are numbered by a counter
 * in state (ARRAY[1], fetched and incremented atomically), and frame n is sampled when
 * n % every == 0 (the first frame always is).
 *
 *   perf event:    struct perf_sample (frame number, frame length, ingress ifindex), then up
 *                  to PERF_SNAP bytes of the frame, appended by the helper itself (the length
 *                  in bits 32-51 of the flags, next to BPF_F_CURRENT_CPU)
 *   ringbuf event: struct ringbuf_sample (frame number, length, rx queue, the first RB_SNAP
 *                  bytes of the frame, read with bpf_xdp_load_bytes and zero padded)
 *
 * state also counts the samples sent on each channel (attempts: the helpers' results are not
 * kept, because a kernel perf ring without a reader answers -ENOENT).
 */
#include "fw_parse.h"

#define PERF_SNAP 64
#define RB_SNAP 32

struct sampler_state {
  __u64 frames;
  __u64 perf_samples;
  __u64 ringbuf_samples;
};

struct perf_sample {
  __u64 frame;
  __u32 len;
  __u32 ifindex;
};

struct ringbuf_sample {
  __u64 frame;
  __u32 len;
  __u32 rx_queue;
  __u8 head[RB_SNAP];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, struct sampler_state);
  __uint(max_entries, 1);
} state SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
  /* no max_entries: one ring per CPU (libbpf) or per core (the map unit) */
} samples SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 16384);
} events SEC(".maps");

const volatile __u32 perf_every = 3;
const volatile __u32 ringbuf_every = 4;

SEC("xdp")
int sampler(struct xdp_md *ctx) {
  __u32 zero = 0;
  struct sampler_state *st = bpf_map_lookup_elem(&state, &zero);
  if (!st)
    return XDP_PASS;
  __u64 n = __sync_fetch_and_add(&st->frames, 1);
  __u32 len = ctx->data_end - ctx->data;

  if (perf_every && n % perf_every == 0) {
    struct perf_sample ps = {.frame = n, .len = len, .ifindex = ctx->ingress_ifindex};
    __u64 snap = len < PERF_SNAP ? len : PERF_SNAP;
    bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU | (snap << 32), &ps, sizeof(ps));
    __sync_fetch_and_add(&st->perf_samples, 1);
  }

  if (ringbuf_every && n % ringbuf_every == 0) {
    struct ringbuf_sample rs = {.frame = n, .len = len, .rx_queue = ctx->rx_queue_index};
    __u32 snap = len < RB_SNAP ? len : RB_SNAP;
    if (snap > 0)
      bpf_xdp_load_bytes(ctx, 0, rs.head, snap);
    bpf_ringbuf_output(&events, &rs, sizeof(rs), 0);
    __sync_fetch_and_add(&st->ringbuf_samples, 1);
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
