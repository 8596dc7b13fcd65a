/* Loader test object: one map of every type the loader supports, declared the libbpf way,
 * with key/value sizes given both as types (__type) and as numbers (__uint). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct lpm_v4 {
  __u32 prefixlen;
  __u8 addr[4];
};

struct big_value {
  __u64 a[5];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, __u64);
  __type(value, struct big_value);
  __uint(max_entries, 100);
} m_hash SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u16);
  __uint(max_entries, 3);
  __uint(map_flags, 0);
} m_array SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(key_size, 4);
  __uint(value_size, 4);
  __uint(max_entries, 2);
} m_prog_array SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(max_entries, 2);
} m_perf SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(key_size, 6);
  __uint(value_size, 12);
  __uint(max_entries, 10);
} m_percpu_hash SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __type(key, int);
  __type(value, __u64[3]);
  __uint(max_entries, 4);
} m_percpu_array SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __type(key, __u32);
  __type(value, __u32);
  __uint(max_entries, 64);
} m_lru SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __type(key, struct lpm_v4);
  __type(value, __u8);
  __uint(max_entries, 16);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} m_lpm SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP);
  __type(key, __u32);
  __type(value, struct bpf_devmap_val);
  __uint(max_entries, 8);
} m_devmap SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
  __type(key, __u32);
  __type(value, __u32);
  __uint(max_entries, 8);
} m_devmap_hash SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} m_ringbuf SEC(".maps");

SEC("xdp")
int use_all(struct xdp_md *ctx __attribute__((unused))) {
  /* Every map referenced once, so each appears as an lddw map[i]. */
  void *maps[] = {&m_hash, &m_array, &m_prog_array, &m_perf, &m_percpu_hash, &m_percpu_array,
                  &m_lru, &m_lpm, &m_devmap, &m_devmap_hash, &m_ringbuf};
  __u32 key = 0;
  int n = 0;
#pragma unroll
  for (int i = 0; i < 11; i++)
    n += bpf_map_lookup_elem(maps[i], &key) != 0;
  return n;
}

char LICENSE[] SEC("license") = "GPL";
