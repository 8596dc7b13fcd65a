/**
 * eBPF map unit: the maps of docs/maps.md in hardware, bit-exact with the C++ MapStore.
 *
 * A descriptor table (written by the host before the first run, one set of 16 registers per
 * map, see ebpf_map_pkg) configures each map at load time. Commands (LOOKUP, UPDATE, DELETE,
 * NEXT_KEY, INIT) run one at a time on a sequential controller over single-port RAMs with
 * registered reads: key buffer, value buffer, descriptors, per-map state, key memory, bucket
 * memory, per-slot used bits, LRU prev/next pointers and stamps, free stack. Map values live
 * in an external 64-bit value memory (port vm_*, read data the cycle after the request).
 *
 * Interface: docs/xdp_datapath.md "Map unit command port".
 */
module ebpf_map_unit
  import ebpf_map_pkg::*;
#(
  parameter int unsigned MaxMaps       = 32,
  parameter int unsigned KeyBufBytes   = 512,
  parameter int unsigned ValueBufBytes = 1024,
  parameter int unsigned KeyWords      = 2048,   // key memory, 64-bit words
  parameter int unsigned Buckets       = 8192,   // bucket memory entries
  parameter int unsigned Slots         = 2048,   // slot memories (used bits, LRU, free stack)
  parameter int unsigned ValueWords    = 16384,  // external value memory, 64-bit words
  parameter int unsigned RegionPorts   = 3,      // value-region read ports (region checkers)
  localparam int unsigned MapW  = $clog2(MaxMaps),
  localparam int unsigned KbAw  = $clog2(KeyBufBytes / 8),
  localparam int unsigned VbAw  = $clog2(ValueBufBytes / 8),
  localparam int unsigned DescAw = $clog2(MaxMaps * MAP_DESC_WORDS),
  localparam int unsigned VmAw  = $clog2(ValueWords)
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  // ---- command port
  input  logic                        cmd_valid_i,
  input  map_op_e                     cmd_op_i,
  input  logic [31:0]                 cmd_map_i,
  input  logic [63:0]                 cmd_flags_i,
  input  logic                        cmd_prog_i,
  input  logic [7:0]                  cmd_cpu_i,
  input  logic                        cmd_null_key_i,
  output logic                        cmd_done_o,
  output logic [31:0]                 cmd_status_o,
  output logic [31:0]                 cmd_offset_o,
  output logic [63:0]                 cmd_word_o,
  output logic                        busy_o,

  // ---- key and value buffers (served while the unit is idle), read data next cycle
  input  logic                        kbuf_req_i,
  input  logic                        kbuf_we_i,
  input  logic [KbAw-1:0]             kbuf_addr_i,
  input  logic [63:0]                 kbuf_wdata_i,
  input  logic [7:0]                  kbuf_wmask_i,
  output logic [63:0]                 kbuf_rdata_o,
  input  logic                        vbuf_req_i,
  input  logic                        vbuf_we_i,
  input  logic [VbAw-1:0]             vbuf_addr_i,
  input  logic [63:0]                 vbuf_wdata_i,
  input  logic [7:0]                  vbuf_wmask_i,
  output logic [63:0]                 vbuf_rdata_o,

  // ---- descriptor registers (written while the unit is idle)
  input  logic                        desc_we_i,
  input  logic [DescAw-1:0]           desc_addr_i,
  input  logic [31:0]                 desc_wdata_i,

  // ---- per-map bounds for the LSU and the helper unit: the valid and read-only bits of every
  //      map, and the value base and limit of the map each region checker names (one LUT RAM
  //      read port per checker)
  output logic [MaxMaps-1:0]          map_valid_o,
  output logic [MaxMaps-1:0]          map_ro_o,
  input  logic [RegionPorts-1:0][MapW-1:0] region_idx_i,
  output logic [RegionPorts-1:0][31:0]     region_base_o,
  output logic [RegionPorts-1:0][31:0]     region_limit_o,

  // ---- value memory master: 64-bit words, read data the cycle after the request
  output logic                        vm_req_o,
  output logic                        vm_we_o,
  output logic [VmAw-1:0]             vm_addr_o,
  output logic [63:0]                 vm_wdata_o,
  output logic [7:0]                  vm_wmask_o,
  input  logic [63:0]                 vm_rdata_i
);

  localparam int unsigned KmAw  = $clog2(KeyWords);
  localparam int unsigned BkAw  = $clog2(Buckets);
  localparam int unsigned SmAw  = $clog2(Slots);
  localparam int unsigned SlotW = SmAw + 1;            // slot numbers 0..Slots
  localparam logic [SlotW-1:0] NoSlot = '1;            // list end
  localparam int unsigned BkW   = 1 + 32 + SlotW;      // {used, hash, slot}
  localparam int unsigned StW   = 5 * SlotW + 64;      // {sp, hw, count, head, tail, tick}
  localparam int unsigned SlwW  = $clog2(ValueBufBytes / 8) + 1;   // slot words, checked
  localparam int unsigned VsW   = (VmAw > SlotW) ? VmAw : SlotW;   // value slot operand

  // ---------------------------------------------------------------------------------------
  // Controller states
  typedef enum logic [6:0] {
    S_IDLE, S_DESC, S_ST_RD, S_ST_CAP, S_DISPATCH,
    // lookup
    S_LK_HASHED, S_LK_PROBED, S_LK_LIVE, S_LK_LPM, S_LK_HIT, S_LK_WORD,
    // update
    S_UP_ARR, S_UP_HASHED, S_UP_PROBED, S_UP_WRITTEN, S_UP_DEV, S_UP_DEV_LIVE,
    S_UP_DEVH_PROBED, S_UP_DEVH_WRITTEN, S_UP_LPM, S_UP_LPM_SCANNED, S_UP_LPM_NEW,
    S_UP_LPM_NEW2, S_UP_LPM_NEW3, S_UP_LPM_KEY,
    // delete
    S_DL_HASHED, S_DL_PROBED, S_DL_FDARR, S_DL_LPM, S_DL_LPM_SCANNED,
    // next key
    S_NK_HASHED, S_NK_PROBED, S_NK_SCAN, S_NK_CHK, S_NK_LPM, S_NK_LPM_EXACT, S_NK_LPM_NEXT,
    // init
    S_IN_LOOP,
    // hash write (find or create)
    S_HW_START, S_HW_NEW, S_HW_NEW2, S_HW_NEW3, S_HW_NEW4,
    S_GV_START, S_GV_PROBE, S_GV_ERASE, S_GV_REPROBE, S_GV_CHK,
    S_WV_RB, S_WV_RS, S_WV_CMP, S_WV_TAKE, S_WV_K, S_WV_T,
    // subroutines
    S_CRC, S_PR_RD, S_PR_CHK, S_PR_KC, S_KC,
    S_TC, S_TC_APP, S_UL_RD, S_UL_GO, S_UL_CLR,
    S_ER, S_ER1, S_ER_NEXT, S_ER_CHK, S_ER_MV,
    S_AL, S_AL_CAP, S_ZR, S_KCP, S_VW, S_VR, S_KO,
    S_LD_KEY, S_LS_LIVE, S_LS_LCHK, S_LS_KRD, S_LS_EVAL,
    S_WB, S_DONE
  } state_e;

  typedef enum logic [1:0] { LS_LOOKUP, LS_EXACT, LS_NEXT } ls_mode_e;

  // ---------------------------------------------------------------------------------------
  // RAM ports
  logic             kb_req, kb_we;   logic [KbAw-1:0] kb_addr;  logic [63:0] kb_wdata, kb_rdata;
  logic [7:0]       kb_wmask;
  logic             vb_req, vb_we;   logic [VbAw-1:0] vb_addr;  logic [63:0] vb_wdata, vb_rdata;
  logic [7:0]       vb_wmask;
  logic             dt_req, dt_we;   logic [DescAw-1:0] dt_addr; logic [31:0] dt_wdata, dt_rdata;
  logic             st_req, st_we;   logic [MapW-1:0] st_addr;  logic [StW-1:0] st_wdata, st_rdata;
  logic             km_req, km_we;   logic [KmAw-1:0] km_addr;  logic [63:0] km_wdata, km_rdata;
  logic             bk_req, bk_we;   logic [BkAw-1:0] bk_addr;  logic [BkW-1:0] bk_wdata, bk_rdata;
  logic             lv_req, lv_we;   logic [SmAw-1:0] lv_addr;  logic lv_wdata, lv_rdata;
  logic             pv_req, pv_we;   logic [SmAw-1:0] pv_addr;  logic [SlotW-1:0] pv_wdata, pv_rdata;
  logic             nx_req, nx_we;   logic [SmAw-1:0] nx_addr;  logic [SlotW-1:0] nx_wdata, nx_rdata;
  logic             sp_req, sp_we;   logic [SmAw-1:0] sp_addr;  logic [63:0] sp_wdata, sp_rdata;
  logic             fs_req, fs_we;   logic [SmAw-1:0] fs_addr;  logic [SlotW-1:0] fs_wdata, fs_rdata;

  // Internal (controller) side of the buffers, muxed with the external ports when idle.
  logic             ikb_req, ikb_we; logic [KbAw-1:0] ikb_addr; logic [63:0] ikb_wdata;
  logic [7:0]       ikb_wmask;
  logic             ivb_req, ivb_we; logic [VbAw-1:0] ivb_addr; logic [63:0] ivb_wdata;
  logic             idt_req;         logic [DescAw-1:0] idt_addr;

  // ---------------------------------------------------------------------------------------
  // Registers
  state_e           state_q, state_d;
  map_op_e          op_q, op_d;
  logic [MapW-1:0]  map_q, map_d;
  logic [63:0]      flags_q, flags_d;
  logic             prog_q, prog_d, nullkey_q, nullkey_d;
  logic [7:0]       cpu_q, cpu_d;
  logic [31:0]      desc_q [MAP_DESC_WORDS];
  logic [31:0]      desc_d [MAP_DESC_WORDS];
  logic             dc_valid_q, dc_valid_d;
  logic [MapW-1:0]  dc_map_q, dc_map_d;
  // per-map state of the current map
  logic [SlotW-1:0] sp_q, sp_d, hw_q, hw_d, cnt_q, cnt_d, head_q, head_d, tail_q, tail_d;
  logic [63:0]      tick_q, tick_d;
  // results
  map_status_e      status_q, status_d;
  logic [31:0]      offset_q, offset_d;
  logic [63:0]      word_q, word_d;
  logic [63:0]      key0_q, key0_d, val0_q, val0_d;
  // loop counters
  logic [31:0]      i_q, i_d, n_q, n_d;
  // hashing and probing
  logic             crc_src_q, crc_src_d;          // 0: key buffer, 1: key memory slot crc_slot
  logic [SlotW-1:0] crc_slot_q, crc_slot_d;
  logic [31:0]      crc_q, crc_d, hash_q, hash_d, ph_q, ph_d;
  logic [31:0]      pd_q, pd_d;                   // probe distance
  logic [BkAw-1:0]  pb_q, pb_d;                   // probed bucket (map-relative)
  logic             pmode_q, pmode_d;              // 0: by key, 1: by slot ptarget
  logic [SlotW-1:0] ptarget_q, ptarget_d, pslot_q, pslot_d;
  logic             pfound_q, pfound_d, pempty_q, pempty_d, kc_eq_q, kc_eq_d;
  logic [SlotW-1:0] slot_q, slot_d;
  // window victim
  logic [BkAw-1:0]  wv_b_q, wv_b_d, wv_cur_q, wv_cur_d;
  logic [SlotW-1:0] wv_slot_q, wv_slot_d, wv_cslot_q, wv_cslot_d;
  logic [63:0]      wv_stamp_q, wv_stamp_d;
  // erase
  logic [BkAw-1:0]  hole_q, hole_d, k_q, k_d;
  // value copies
  logic [VmAw-1:0]  vw_addr_q, vw_addr_d;   // value memory word (modular)
  logic [7:0]       vw_last_q, vw_last_d;
  // LPM
  logic [63:0]      lkw_q [3];
  logic [63:0]      lkw_d [3];
  logic [63:0]      lent_q [3];
  logic [63:0]      lent_d [3];
  ls_mode_e         lmode_q, lmode_d;
  logic [SlotW-1:0] ls_q, ls_d;                    // scanned slot
  logic             lfound_q, lfound_d, la_valid_q, la_valid_d;
  logic [31:0]      la_len_q, la_len_d, lb_len_q, lb_len_d;
  logic [127:0]     la_key_q, la_key_d, lb_key_q, lb_key_d;
  logic [SlotW-1:0] lb_slot_q, lb_slot_d;
  // subroutine return states
  state_e           crc_ret_q, crc_ret_d, pr_ret_q, pr_ret_d, kc_ret_q, kc_ret_d;
  state_e           tc_ret_q, tc_ret_d, ul_ret_q, ul_ret_d, er_ret_q, er_ret_d;
  state_e           al_ret_q, al_ret_d, zr_ret_q, zr_ret_d, kcp_ret_q, kcp_ret_d;
  state_e           hw_ret_q, hw_ret_d, ls_ret_q, ls_ret_d, ld_ret_q, ld_ret_d;
  logic             idle;
  // exported bounds: base and limit are LUT RAM with a read port per region checker
  // (ebpf_prim_lutram_flagged, reading 0 until written, as flip-flops reset to 0 did)
  logic [MaxMaps-1:0]       valid_q;
  logic [MaxMaps-1:0]       ro_q;

  // ---------------------------------------------------------------------------------------
  // Descriptor fields of the current map
  logic [7:0]  d_type;
  logic [31:0] d_ks, d_kw, d_vs, d_max, d_vbase, d_sw, d_copies, d_slw, d_kbase, d_bbase;
  logic [31:0] d_mask, d_probe, d_seed, d_sbase;
  assign d_type   = desc_q[MAP_D_CTRL][7:0];
  assign d_ks     = {16'h0, desc_q[MAP_D_KEY][15:0]};
  assign d_kw     = {16'h0, desc_q[MAP_D_KEY][31:16]};
  assign d_vs     = desc_q[MAP_D_VSIZE];
  assign d_max    = desc_q[MAP_D_MAX];
  assign d_vbase  = desc_q[MAP_D_VBASE];
  assign d_sw     = {16'h0, desc_q[MAP_D_STRIDE][15:0]};
  assign d_copies = {16'h0, desc_q[MAP_D_STRIDE][31:16]};
  assign d_slw    = desc_q[MAP_D_SLOTW];
  assign d_kbase  = desc_q[MAP_D_KBASE];
  assign d_bbase  = desc_q[MAP_D_BBASE];
  assign d_mask   = desc_q[MAP_D_BMASK];
  assign d_probe  = desc_q[MAP_D_PROBE];
  assign d_seed   = desc_q[MAP_D_SEED];
  assign d_sbase  = desc_q[MAP_D_SBASE];

  logic t_arr, t_pcarr, t_hash, t_pchash, t_lru, t_devh, t_hashany, t_lpm, t_dev, t_prog;
  logic t_perf, t_rb, t_percpu, t_slotmem;
  assign t_arr     = d_type == ebpf_pkg::MapTypeArray;
  assign t_pcarr   = d_type == ebpf_pkg::MapTypePercpuArr;
  assign t_hash    = d_type == ebpf_pkg::MapTypeHash;
  assign t_pchash  = d_type == ebpf_pkg::MapTypePercpuHash;
  assign t_lru     = d_type == ebpf_pkg::MapTypeLruHash;
  assign t_devh    = d_type == ebpf_pkg::MapTypeDevmapHash;
  assign t_hashany = t_hash | t_pchash | t_lru | t_devh;
  assign t_lpm     = d_type == ebpf_pkg::MapTypeLpmTrie;
  assign t_dev     = d_type == ebpf_pkg::MapTypeDevmap;
  assign t_prog    = d_type == ebpf_pkg::MapTypeProgArray;
  assign t_perf    = d_type == ebpf_pkg::MapTypePerfEvent;
  assign t_rb      = d_type == ebpf_pkg::MapTypeRingbuf;
  assign t_percpu  = t_pcarr | t_pchash;
  assign t_slotmem = t_hashany | t_lpm | t_dev | t_prog;

  // Derived values
  logic [31:0] cpu_sel, key_index, last_idx;
  logic [7:0]  key_last_mask, val_last_mask;
  assign cpu_sel       = (d_copies > 32'd1) ? {24'h0, cpu_q} : 32'd0;
  assign key_index     = key0_q[31:0];
  assign key_last_mask = map_last_mask(d_ks[2:0]);
  assign val_last_mask = map_last_mask(d_vs[2:0]);
  assign last_idx      = d_kw - 32'd1;

  // A descriptor the unit cannot serve (never produced by layout_maps, but the descriptor
  // registers are host-writable): every command on the map answers -EINVAL, so that no loop
  // runs past the unit's memories.
  logic desc_bad;
  logic [SlwW-1:0]    d_slw_n;      // d_slw of a descriptor that passes desc_bad
  logic [32+SlwW-1:0] map_words;    // max_entries x slot words
  assign d_slw_n   = d_slw[SlwW-1:0];
  assign map_words = (32+SlwW)'(d_max) * (32+SlwW)'(d_slw_n);
  assign desc_bad = d_probe > 32'd32 || d_kw > 32'(KeyBufBytes / 8) ||
                    d_slw > 32'(ValueBufBytes / 8) || (d_slw != 0 && d_sw > d_slw) ||
                    (t_hashany && d_mask >= 32'(Buckets)) ||
                    (t_slotmem && d_max > 32'(Slots)) ||
                    map_words > (32+SlwW)'(ValueWords);

  // Address arithmetic. A descriptor that passes desc_bad has d_slw <= ValueBufBytes / 8,
  // so its low SlwW bits are d_slw; every use below is behind that check (desc_bad, which
  // uses map_words, holds whatever the upper bits are, as d_slw > ValueBufBytes / 8 alone
  // makes it true).
  logic [VsW-1:0]        va_slot;      // the value slot of this state: key_index or slot_q
  logic [VsW+SlwW-1:0]   va_prod;      // va_slot x slot words (one multiplier for all)
  logic [31:0] vslot_addr;   // first value word of slot_q
  logic [31:0] cpu_off;      // word offset of cpu_sel's copy
  assign va_slot    = (state_q == S_DISPATCH || state_q == S_UP_DEV || state_q == S_DL_FDARR)
                      ? VsW'(key_index) : VsW'(slot_q);
  assign va_prod    = (VsW+SlwW)'(va_slot) * (VsW+SlwW)'(d_slw_n);
  assign vslot_addr = d_vbase + 32'(va_prod);
  assign cpu_off    = cpu_sel * d_sw;

  // Key memory address: word ka_word of slot ka_slot, kbase + slot x key words + word. The
  // states name the operands; one multiply and one add serve them all. The sum is taken
  // modulo the key memory size, so the operands are cut to its width first.
  logic [SlotW-1:0] ka_slot;
  logic [KmAw-1:0]  ka_word;
  assign km_addr = KmAw'(d_kbase) + KmAw'(KmAw'(ka_slot) * KmAw'(d_kw)) + ka_word;

  // Bucket word fields
  logic             bk_used;
  logic [31:0]      bk_hash;
  logic [SlotW-1:0] bk_slot;
  assign {bk_used, bk_hash, bk_slot} = bk_rdata;

  // Bucket memory address: bk_off in the map's bucket table, after its base (modulo the
  // bucket memory size).
  logic [BkAw-1:0]  bk_off;
  assign bk_addr = BkAw'(d_bbase) + bk_off;

  // Bucket indices are taken modulo the bucket mask; a hash-type descriptor that passes
  // desc_bad has d_mask < Buckets, so they fit BkAw bits and every sum and difference below
  // equals its 32-bit form. Backward-shift delete: the next bucket, its distance from the
  // hole, and the distance of the element in k from its home bucket and from the hole.
  logic [BkAw-1:0]  bmask, er_next, er_dist, er_home, er_hole;
  assign bmask   = BkAw'(d_mask);
  assign er_next = (k_q + 1'b1) & bmask;
  assign er_dist = (er_next - hole_q) & bmask;
  assign er_home = (k_q - (BkAw'(bk_hash) & bmask)) & bmask;
  assign er_hole = (k_q - hole_q) & bmask;

  // Slot memory addresses: an offset in the map's slot range, after its base.
  logic [SmAw-1:0]  lv_off, pv_off, nx_off, sp_off, fs_off;
  assign lv_addr = SmAw'(d_sbase) + lv_off;
  assign pv_addr = SmAw'(d_sbase) + pv_off;
  assign nx_addr = SmAw'(d_sbase) + nx_off;
  assign sp_addr = SmAw'(d_sbase) + sp_off;
  assign fs_addr = SmAw'(d_sbase) + fs_off;

  // The bits above the memory widths do not reach an address (the sums are modular).
  logic unused_addr_hi;
  assign unused_addr_hi = ^{d_kbase, d_bbase, d_sbase, ka_slot};

  // Masks a key word read from the key buffer: bytes past key_size read as zero.
  function automatic logic [63:0] key_word(logic [63:0] w, logic [31:0] idx, logic [31:0] last,
                                           logic [7:0] lmask);
    return (idx == last) ? map_mask_bytes(w, lmask) : w;
  endfunction

  // LPM: the data bits as a 128-bit number, bit 0 of the data (MSB of byte 4) at the top.
  function automatic logic [127:0] lpm_data(logic [63:0] w0, logic [63:0] w1, logic [63:0] w2,
                                            logic v6);
    logic [7:0] b [24];
    logic [127:0] r;
    for (int unsigned j = 0; j < 8; j++) begin
      b[j]      = w0[8*j +: 8];
      b[8 + j]  = w1[8*j +: 8];
      b[16 + j] = w2[8*j +: 8];
    end
    r = '0;
    for (int unsigned j = 0; j < 16; j++) begin
      if (v6 || j < 4) r[127 - 8*j -: 8] = b[4 + j];
    end
    return r;
  endfunction
  // First difference of two 128-bit numbers, from the top: {p, g} with p the number of
  // leading bits in which a and b agree (128 when equal) and g the bit of b at the first
  // difference (so a < b when p < 128 and g). A tree of 2-to-1 merges, not a 128-bit chain.
  function automatic logic [8:0] lpm_diff(logic [127:0] a, logic [127:0] b);
    logic [127:0] v, g;
    logic [6:0]   pos [128];
    v = a ^ b;
    g = b;
    for (int unsigned k = 0; k < 128; k++) pos[k] = '0;
    for (int unsigned l = 1; l <= 7; l++) begin
      for (int unsigned k = 0; k < (128 >> l); k++) begin
        // node k of level l from nodes 2k (low half) and 2k + 1 (high half) of level l - 1
        if (v[2*k+1]) begin
          pos[k] = pos[2*k+1];
          g[k]   = g[2*k+1];
        end else begin
          pos[k] = 7'((32'd1 << (l - 1)) + 32'(pos[2*k]));
          g[k]   = g[2*k];
        end
        v[k] = v[2*k+1] | v[2*k];
      end
    end
    return {v[0] ? {1'b0, pos[0]} : 8'd128, g[0]};
  endfunction
  // The top min(len, 128) bits agree (the prefix compare of docs/maps.md), given p of lpm_diff.
  function automatic logic lpm_agree(logic [7:0] p, logic [31:0] len);
    return (len[31:7] != '0) ? p[7] : (p >= {1'b0, len[6:0]});
  endfunction
  // Iteration order, a before b (a prefix mask of min(al, bl) bits): when the masked bits
  // differ, the first difference lies inside the mask and decides; else the longer first.
  function automatic logic lpm_before(logic [31:0] al, logic [31:0] bl, logic [8:0] d);
    return (lpm_agree(d[8:1], al) || lpm_agree(d[8:1], bl)) ? (al > bl) : d[0];
  endfunction

  logic        lpm_v6;
  logic [31:0] lpm_max, lk_len, le_len;
  logic [127:0] lk_data, le_data;
  assign lpm_v6  = d_ks == 32'd20;
  assign lpm_max = lpm_v6 ? 32'd128 : 32'd32;
  assign lk_len  = lkw_q[0][31:0];
  assign le_len  = lent_q[0][31:0];
  assign lk_data = lpm_data(lkw_q[0], lkw_q[1], lkw_q[2], lpm_v6);
  assign le_data = lpm_data(lent_q[0], lent_q[1], lent_q[2], lpm_v6);
  // The scan's two compares: the entry against the key (lookup, exact) or against the last
  // entry returned (next), and the entry against the best successor so far (next).
  logic [8:0] ld_first, ld_best;
  assign ld_first = lpm_diff((lmode_q == LS_LOOKUP || lmode_q == LS_EXACT) ? lk_data : la_key_q,
                            le_data);
  assign ld_best  = lpm_diff(le_data, lb_key_q);

  // ---------------------------------------------------------------------------------------
  // Controller
  always_comb begin
    state_d = state_q;
    op_d = op_q; map_d = map_q; flags_d = flags_q; prog_d = prog_q; nullkey_d = nullkey_q;
    cpu_d = cpu_q;
    desc_d = desc_q; dc_valid_d = dc_valid_q; dc_map_d = dc_map_q;
    sp_d = sp_q; hw_d = hw_q; cnt_d = cnt_q; head_d = head_q; tail_d = tail_q; tick_d = tick_q;
    status_d = status_q; offset_d = offset_q; word_d = word_q;
    key0_d = key0_q; val0_d = val0_q; i_d = i_q; n_d = n_q;
    crc_src_d = crc_src_q; crc_slot_d = crc_slot_q; crc_d = crc_q; hash_d = hash_q; ph_d = ph_q;
    pd_d = pd_q; pb_d = pb_q; pmode_d = pmode_q; ptarget_d = ptarget_q; pslot_d = pslot_q;
    pfound_d = pfound_q; pempty_d = pempty_q; kc_eq_d = kc_eq_q; slot_d = slot_q;
    wv_b_d = wv_b_q; wv_cur_d = wv_cur_q; wv_slot_d = wv_slot_q; wv_cslot_d = wv_cslot_q;
    wv_stamp_d = wv_stamp_q; hole_d = hole_q; k_d = k_q;
    vw_addr_d = vw_addr_q; vw_last_d = vw_last_q;
    lkw_d = lkw_q; lent_d = lent_q; lmode_d = lmode_q; ls_d = ls_q; lfound_d = lfound_q;
    la_valid_d = la_valid_q; la_len_d = la_len_q; lb_len_d = lb_len_q; la_key_d = la_key_q;
    lb_key_d = lb_key_q; lb_slot_d = lb_slot_q;
    crc_ret_d = crc_ret_q; pr_ret_d = pr_ret_q; kc_ret_d = kc_ret_q; tc_ret_d = tc_ret_q;
    ul_ret_d = ul_ret_q; er_ret_d = er_ret_q; al_ret_d = al_ret_q; zr_ret_d = zr_ret_q;
    kcp_ret_d = kcp_ret_q; hw_ret_d = hw_ret_q; ls_ret_d = ls_ret_q; ld_ret_d = ld_ret_q;

    // Write data and addresses of the unit's own RAMs matter only with their request (and
    // write) enable: the defaults are the values most states use, which keeps their muxes
    // narrow. Nothing here reaches a port of the unit.
    ikb_req = 1'b0; ikb_we = 1'b0; ikb_addr = KbAw'(i_q); ikb_wdata = km_rdata;
    ikb_wmask = 8'hFF;
    ivb_req = 1'b0; ivb_we = 1'b0; ivb_addr = VbAw'(i_q); ivb_wdata = vm_rdata_i;
    idt_req = 1'b0; idt_addr = '0;
    st_req = 1'b0; st_we = 1'b0; st_addr = map_q;
    st_wdata = {sp_q, hw_q, cnt_q, head_q, tail_q, tick_q};
    km_req = 1'b0; km_we = 1'b0; ka_slot = '0; ka_word = '0;
    km_wdata = key_word(kb_rdata, i_q - 1, last_idx, key_last_mask);
    bk_req = 1'b0; bk_we = 1'b0; bk_off = '0; bk_wdata = '0;
    lv_req = 1'b0; lv_we = 1'b0; lv_off = '0; lv_wdata = 1'b0;
    pv_req = 1'b0; pv_we = 1'b0; pv_off = '0; pv_wdata = '0;
    nx_req = 1'b0; nx_we = 1'b0; nx_off = '0; nx_wdata = '0;
    sp_req = 1'b0; sp_we = 1'b0; sp_off = '0; sp_wdata = tick_q + 1;
    fs_req = 1'b0; fs_we = 1'b0; fs_off = '0; fs_wdata = '0;
    vm_req_o = 1'b0; vm_we_o = 1'b0; vm_addr_o = '0; vm_wdata_o = '0; vm_wmask_o = '0;

    unique case (state_q)
      // ---- command start ------------------------------------------------------------------
      S_IDLE: begin
        if (cmd_valid_i) begin
          op_d = cmd_op_i;
          map_d = MapW'(cmd_map_i);
          flags_d = cmd_flags_i;
          prog_d = cmd_prog_i;
          cpu_d = cmd_cpu_i;
          nullkey_d = cmd_null_key_i;
          status_d = MAP_ST_OK;
          offset_d = '0;
          word_d = '0;
          i_d = '0;
          if (cmd_map_i >= 32'(MaxMaps) || !valid_q[MapW'(cmd_map_i)]) begin
            status_d = MAP_ST_EINVAL;
            state_d = S_DONE;
          end else if (dc_valid_q && dc_map_q == MapW'(cmd_map_i)) begin
            state_d = S_ST_RD;
          end else begin
            state_d = S_DESC;
          end
        end
      end

      S_DESC: begin  // read the 16 descriptor words, one per cycle
        if (i_q < 32'(MAP_DESC_WORDS)) begin
          idt_req = 1'b1;
          idt_addr = DescAw'({map_q, i_q[3:0]});
        end
        if (i_q != 0) desc_d[i_q[3:0] - 4'd1] = dt_rdata;
        i_d = i_q + 1;
        if (i_q == 32'(MAP_DESC_WORDS)) begin
          dc_valid_d = 1'b1;
          dc_map_d = map_q;
          state_d = S_ST_RD;
        end
      end

      S_ST_RD: begin
        st_req = 1'b1;
        ikb_req = 1'b1;
        ikb_addr = '0;
        ivb_req = 1'b1;
        ivb_addr = '0;
        state_d = S_ST_CAP;
      end

      S_ST_CAP: begin
        {sp_d, hw_d, cnt_d, head_d, tail_d, tick_d} = st_rdata;
        key0_d = kb_rdata;
        val0_d = vb_rdata;
        state_d = S_DISPATCH;
      end

      S_DISPATCH: begin
        if (desc_bad) begin
          status_d = MAP_ST_EINVAL;
          state_d = S_WB;
        end else unique case (op_q)
          MAP_OP_INIT: begin
            i_d = '0;
            state_d = S_IN_LOOP;
          end
          MAP_OP_LOOKUP: begin
            if (t_rb || t_perf) begin
              status_d = MAP_ST_ENOTSUPP; state_d = S_WB;
            end else if (t_arr || t_pcarr) begin
              if (key_index >= d_max) begin
                status_d = MAP_ST_ENOENT; state_d = S_WB;
              end else begin
                slot_d = SlotW'(key_index); state_d = S_LK_HIT;
              end
            end else if (t_dev || t_prog) begin
              if (key_index >= d_max) begin
                status_d = MAP_ST_ENOENT; state_d = S_WB;
              end else begin
                slot_d = SlotW'(key_index);
                lv_req = 1'b1;
                lv_off = SmAw'(key_index);
                state_d = S_LK_LIVE;
              end
            end else if (t_lpm) begin
              ld_ret_d = S_LK_LPM; i_d = '0; state_d = S_LD_KEY;
            end else begin  // hash types
              crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
              crc_ret_d = S_LK_HASHED; state_d = S_CRC;
            end
          end
          MAP_OP_UPDATE: begin
            if (t_rb || t_perf) begin
              status_d = MAP_ST_ENOTSUPP; state_d = S_WB;
            end else if (!prog_q && (flags_q & BPF_F_LOCK) != 0) begin
              status_d = MAP_ST_EINVAL; state_d = S_WB;
            end else if (!prog_q && t_percpu) begin
              // host: every copy (Linux bpf_percpu_*_update)
              if (flags_q > BPF_EXIST) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else if (t_pcarr) begin
                if (key_index >= d_max) begin
                  status_d = MAP_ST_E2BIG; state_d = S_WB;
                end else if (flags_q == BPF_NOEXIST) begin
                  status_d = MAP_ST_EEXIST; state_d = S_WB;
                end else begin
                  slot_d = SlotW'(key_index); state_d = S_UP_WRITTEN;
                end
              end else begin
                crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
                crc_ret_d = S_UP_HASHED; state_d = S_CRC;
              end
            end else if (t_arr || t_pcarr) begin  // array_map_update_elem
              if ((flags_q & ~BPF_F_LOCK) > BPF_EXIST) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else if (key_index >= d_max) begin
                status_d = MAP_ST_E2BIG; state_d = S_WB;
              end else if (flags_q[0]) begin
                status_d = MAP_ST_EEXIST; state_d = S_WB;
              end else if (flags_q[2]) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else begin
                slot_d = SlotW'(key_index); state_d = S_UP_WRITTEN;
              end
            end else if (t_hash || t_pchash || t_lru) begin
              if ((flags_q & ~BPF_F_LOCK) > BPF_EXIST || flags_q[2]) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else begin
                crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
                crc_ret_d = S_UP_HASHED; state_d = S_CRC;
              end
            end else if (t_lpm) begin
              if (flags_q > BPF_EXIST) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else begin
                ld_ret_d = S_UP_LPM; i_d = '0; state_d = S_LD_KEY;
              end
            end else if (t_dev) begin
              state_d = S_UP_DEV;
            end else if (t_devh) begin
              if (flags_q > BPF_EXIST || val0_q[31:0] == 32'd0) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else begin
                crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
                crc_ret_d = S_UP_HASHED; state_d = S_CRC;
              end
            end else begin  // PROG_ARRAY
              if (flags_q != 64'd0) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else if (key_index >= d_max) begin
                status_d = MAP_ST_E2BIG; state_d = S_WB;
              end else begin
                vm_req_o = 1'b1; vm_we_o = 1'b1;
                vm_addr_o = VmAw'(d_vbase + 32'(va_prod));
                vm_wdata_o = {32'h0, val0_q[31:0]};
                vm_wmask_o = 8'h0F;
                lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b1;
                lv_off = SmAw'(key_index);
                state_d = S_WB;
              end
            end
          end
          MAP_OP_DELETE: begin
            if (t_rb) begin
              status_d = MAP_ST_ENOTSUPP; state_d = S_WB;
            end else if (!prog_q && (t_perf || t_prog)) begin  // fd_array_map_delete_elem
              if (key_index >= d_max) begin
                status_d = MAP_ST_E2BIG; state_d = S_WB;
              end else if (t_perf) begin
                status_d = MAP_ST_ENOENT; state_d = S_WB;
              end else begin
                lv_req = 1'b1;
                lv_off = SmAw'(key_index);
                state_d = S_DL_FDARR;
              end
            end else if (t_arr || t_pcarr) begin
              status_d = MAP_ST_EINVAL; state_d = S_WB;
            end else if (t_hashany) begin
              crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
              crc_ret_d = S_DL_HASHED; state_d = S_CRC;
            end else if (t_lpm) begin
              ld_ret_d = S_DL_LPM; i_d = '0; state_d = S_LD_KEY;
            end else if (t_dev) begin  // dev_map_delete_elem
              if (key_index >= d_max) begin
                status_d = MAP_ST_EINVAL; state_d = S_WB;
              end else begin
                lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b0;
                lv_off = SmAw'(key_index);
                vm_req_o = 1'b1; vm_we_o = 1'b1; vm_wmask_o = 8'hFF;
                vm_addr_o = VmAw'(d_vbase + 32'(va_prod));
                state_d = S_WB;
              end
            end else begin
              status_d = MAP_ST_ENOTSUPP; state_d = S_WB;
            end
          end
          default: begin  // MAP_OP_NEXT_KEY
            if (t_rb) begin
              status_d = MAP_ST_ENOTSUPP; state_d = S_WB;
            end else if (t_hashany) begin
              slot_d = '0;
              if (nullkey_q) begin
                ls_d = '0; state_d = S_NK_SCAN;
              end else begin
                crc_src_d = 1'b0; crc_d = d_seed; i_d = '0;
                crc_ret_d = S_NK_HASHED; state_d = S_CRC;
              end
            end else if (t_lpm) begin
              la_valid_d = 1'b0;
              if (nullkey_q) begin
                state_d = S_NK_LPM_EXACT;
              end else begin
                ld_ret_d = S_NK_LPM; i_d = '0; state_d = S_LD_KEY;
              end
            end else begin  // index order
              if (!nullkey_q && key_index == d_max - 32'd1) begin
                status_d = MAP_ST_ENOENT;
              end else begin
                ikb_req = 1'b1; ikb_we = 1'b1; ikb_addr = '0; ikb_wmask = 8'h0F;
                ikb_wdata = (nullkey_q || key_index >= d_max) ? 64'd0
                                                               : {32'h0, key_index + 32'd1};
              end
              state_d = S_WB;
            end
          end
        endcase
      end

      // ---- LOOKUP ---------------------------------------------------------------------------
      S_LK_HASHED: begin
        hash_d = crc_q; ph_d = crc_q; pmode_d = 1'b0; pd_d = '0;
        pr_ret_d = S_LK_PROBED; state_d = S_PR_RD;
      end
      S_LK_PROBED: begin
        if (!pfound_q) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else if (prog_q && t_lru) begin
          tc_ret_d = S_LK_HIT; state_d = S_TC;
        end else begin
          state_d = S_LK_HIT;
        end
      end
      S_LK_LIVE: begin
        if (!lv_rdata) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else begin
          state_d = S_LK_HIT;
        end
      end
      S_LK_LPM: begin
        if (lk_len > lpm_max) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else begin
          lmode_d = LS_LOOKUP; lfound_d = 1'b0; ls_d = '0;
          ls_ret_d = S_LK_HIT; state_d = S_LS_LIVE;
        end
      end
      S_LK_HIT: begin
        if (t_lpm) begin
          if (!lfound_q) begin
            status_d = MAP_ST_ENOENT;
            state_d = S_WB;
          end else begin
            slot_d = lb_slot_q;
            state_d = S_LK_WORD;
          end
        end else begin
          state_d = S_LK_WORD;
        end
      end
      S_LK_WORD: begin  // slot_q is final
        offset_d = (32'(va_prod) + cpu_off) << 3;
        if (prog_q) begin
          vm_req_o = 1'b1;
          vm_addr_o = VmAw'(vslot_addr + cpu_off);
          i_d = 32'd1; n_d = 32'd1;   // one word, into word_q only
          vw_addr_d = VmAw'(vslot_addr + cpu_off);
          state_d = S_VR;
        end else begin
          vw_addr_d = VmAw'(vslot_addr);
          n_d = t_percpu ? d_slw : d_sw;
          i_d = '0;
          state_d = S_VR;
        end
      end

      // ---- UPDATE ---------------------------------------------------------------------------
      S_UP_HASHED: begin
        hash_d = crc_q; ph_d = crc_q; pmode_d = 1'b0; pd_d = '0;
        pr_ret_d = S_UP_PROBED; state_d = S_PR_RD;
      end
      S_UP_PROBED: begin
        if (t_devh) begin  // __dev_map_hash_update_elem
          if (pfound_q && flags_q[0]) begin
            status_d = MAP_ST_EEXIST; state_d = S_WB;
          end else if (d_vs == 32'd8 && $signed(val0_q[63:32]) > 0) begin
            status_d = MAP_ST_EOPNOTSUPP; state_d = S_WB;   // ifindex is non-zero here
          end else begin
            flags_d = 64'd0;
            hw_ret_d = S_UP_DEVH_WRITTEN; state_d = S_HW_START;
          end
        end else begin
          hw_ret_d = S_UP_WRITTEN; state_d = S_HW_START;
        end
      end
      S_UP_WRITTEN: begin  // slot_q holds the element: copy the value in
        offset_d = (32'(va_prod) + cpu_off) << 3;
        i_d = '0;
        if (!prog_q && t_percpu) begin
          vw_addr_d = VmAw'(vslot_addr); n_d = d_slw; vw_last_d = 8'hFF;
        end else begin
          vw_addr_d = VmAw'(vslot_addr + cpu_off); n_d = d_sw; vw_last_d = val_last_mask;
        end
        state_d = S_VW;
      end
      S_UP_DEVH_WRITTEN: begin
        vm_req_o = 1'b1; vm_we_o = 1'b1;
        vm_addr_o = VmAw'(vslot_addr);
        vm_wdata_o = {32'h0, val0_q[31:0]};
        vm_wmask_o = (d_vs == 32'd8) ? 8'hFF : 8'h0F;
        state_d = S_WB;
      end
      S_UP_DEV: begin  // __dev_map_update_elem
        if (flags_q > BPF_EXIST) begin
          status_d = MAP_ST_EINVAL; state_d = S_WB;
        end else if (key_index >= d_max) begin
          status_d = MAP_ST_E2BIG; state_d = S_WB;
        end else if (flags_q == BPF_NOEXIST) begin
          status_d = MAP_ST_EEXIST; state_d = S_WB;
        end else if (d_vs == 32'd8 && $signed(val0_q[63:32]) > 0) begin
          status_d = (val0_q[31:0] == 32'd0) ? MAP_ST_EINVAL : MAP_ST_EOPNOTSUPP;
          state_d = S_WB;
        end else begin
          lv_req = 1'b1; lv_we = 1'b1;
          lv_off = SmAw'(key_index);
          lv_wdata = val0_q[31:0] != 32'd0;
          vm_req_o = 1'b1; vm_we_o = 1'b1;
          vm_addr_o = VmAw'(d_vbase + 32'(va_prod));
          if (val0_q[31:0] == 32'd0) begin
            vm_wdata_o = '0; vm_wmask_o = 8'hFF;
          end else begin
            vm_wdata_o = {32'h0, val0_q[31:0]};
            vm_wmask_o = (d_vs == 32'd8) ? 8'hFF : 8'h0F;
          end
          state_d = S_WB;
        end
      end
      S_UP_LPM: begin  // trie_update_elem, key loaded
        if (lk_len > lpm_max) begin
          status_d = MAP_ST_EINVAL; state_d = S_WB;
        end else begin
          lmode_d = LS_EXACT; lfound_d = 1'b0; ls_d = '0;
          ls_ret_d = S_UP_LPM_SCANNED; state_d = S_LS_LIVE;
        end
      end
      S_UP_LPM_SCANNED: begin
        if (lfound_q) begin
          if (flags_q == BPF_NOEXIST) begin
            status_d = MAP_ST_EEXIST; state_d = S_WB;
          end else begin
            slot_d = lb_slot_q; i_d = '0;
            kcp_ret_d = S_UP_LPM_KEY; state_d = S_KCP;   // the newest key bytes
          end
        end else if (flags_q == BPF_EXIST) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else if (32'(cnt_q) == d_max) begin
          status_d = MAP_ST_ENOSPC; state_d = S_WB;
        end else begin
          al_ret_d = S_UP_LPM_NEW; state_d = S_AL;
        end
      end
      S_UP_LPM_NEW: begin
        i_d = '0; zr_ret_d = S_UP_LPM_NEW2; state_d = S_ZR;
      end
      S_UP_LPM_NEW2: begin
        i_d = '0; kcp_ret_d = S_UP_LPM_NEW3; state_d = S_KCP;
      end
      S_UP_LPM_NEW3: begin
        lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b1;
        lv_off = SmAw'(32'(slot_q));
        cnt_d = cnt_q + 1'b1;
        state_d = S_UP_LPM_KEY;
      end
      S_UP_LPM_KEY: begin
        state_d = S_UP_WRITTEN;   // LPM maps are not PERCPU: cpu_off is 0
      end

      // ---- DELETE ---------------------------------------------------------------------------
      S_DL_HASHED: begin
        hash_d = crc_q; ph_d = crc_q; pmode_d = 1'b0; pd_d = '0;
        pr_ret_d = S_DL_PROBED; state_d = S_PR_RD;
      end
      S_DL_PROBED: begin
        if (!pfound_q) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else begin
          er_ret_d = S_WB; state_d = S_ER;
        end
      end
      S_DL_FDARR: begin
        if (!lv_rdata) begin
          status_d = MAP_ST_ENOENT;
        end else begin
          lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b0;
          lv_off = SmAw'(key_index);
          vm_req_o = 1'b1; vm_we_o = 1'b1; vm_wmask_o = 8'hFF;
          vm_addr_o = VmAw'(d_vbase + 32'(va_prod));
        end
        state_d = S_WB;
      end
      S_DL_LPM: begin
        if (lk_len > lpm_max) begin
          status_d = MAP_ST_EINVAL; state_d = S_WB;
        end else begin
          lmode_d = LS_EXACT; lfound_d = 1'b0; ls_d = '0;
          ls_ret_d = S_DL_LPM_SCANNED; state_d = S_LS_LIVE;
        end
      end
      S_DL_LPM_SCANNED: begin
        if (!lfound_q) begin
          status_d = MAP_ST_ENOENT;
        end else begin
          lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b0;
          lv_off = SmAw'(32'(lb_slot_q));
          fs_req = 1'b1; fs_we = 1'b1; fs_wdata = lb_slot_q;
          fs_off = SmAw'(32'(sp_q));
          sp_d = sp_q + 1'b1;
          cnt_d = cnt_q - 1'b1;
        end
        state_d = S_WB;
      end

      // ---- NEXT_KEY -------------------------------------------------------------------------
      S_NK_HASHED: begin
        hash_d = crc_q; ph_d = crc_q; pmode_d = 1'b0; pd_d = '0;
        pr_ret_d = S_NK_PROBED; state_d = S_PR_RD;
      end
      S_NK_PROBED: begin
        ls_d = pfound_q ? slot_q + 1'b1 : '0;
        state_d = S_NK_SCAN;
      end
      S_NK_SCAN: begin
        if (ls_q >= hw_q) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else begin
          lv_req = 1'b1;
          lv_off = SmAw'(32'(ls_q));
          state_d = S_NK_CHK;
        end
      end
      S_NK_CHK: begin
        if (lv_rdata) begin
          slot_d = ls_q; i_d = '0; state_d = S_KO;
        end else begin
          ls_d = ls_q + 1'b1; state_d = S_NK_SCAN;
        end
      end
      S_NK_LPM: begin  // key loaded: find the entry to continue from
        if (lk_len > lpm_max) begin
          state_d = S_NK_LPM_EXACT;
        end else begin
          lmode_d = LS_EXACT; lfound_d = 1'b0; ls_d = '0;
          ls_ret_d = S_NK_LPM_EXACT; state_d = S_LS_LIVE;
          la_valid_d = 1'b0;
        end
      end
      S_NK_LPM_EXACT: begin  // la_* hold the entry found (if any); scan for the successor
        la_valid_d = la_valid_q;
        lmode_d = LS_NEXT; lfound_d = 1'b0; ls_d = '0;
        ls_ret_d = S_NK_LPM_NEXT; state_d = S_LS_LIVE;
      end
      S_NK_LPM_NEXT: begin
        if (!lfound_q) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else begin
          slot_d = lb_slot_q; i_d = '0; state_d = S_KO;
        end
      end

      // ---- INIT -----------------------------------------------------------------------------
      S_IN_LOOP: begin
        if (t_hashany && i_q <= d_mask) begin
          bk_req = 1'b1; bk_we = 1'b1;
          bk_off = BkAw'(i_q);
          bk_wdata = '0;
        end
        if (t_slotmem && i_q < d_max) begin
          lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b0;
          lv_off = SmAw'(i_q);
        end
        if ((32+SlwW)'(i_q) < map_words) begin
          vm_req_o = 1'b1; vm_we_o = 1'b1; vm_wmask_o = 8'hFF; vm_wdata_o = '0;
          vm_addr_o = VmAw'(d_vbase + i_q);
        end
        i_d = i_q + 1;
        if (!(t_hashany && i_q <= d_mask) && !(t_slotmem && i_q < d_max) &&
            !((32+SlwW)'(i_q) < map_words)) begin
          sp_d = '0; hw_d = '0; cnt_d = '0; tick_d = '0; head_d = NoSlot; tail_d = NoSlot;
          state_d = S_WB;
        end
      end

      // ---- hash write: find or create the element of the probed key ------------------------
      S_HW_START: begin
        if (pfound_q) begin
          if (flags_q == BPF_NOEXIST) begin
            status_d = MAP_ST_EEXIST; state_d = S_WB;
          end else if (t_lru) begin
            tc_ret_d = hw_ret_q; state_d = S_TC;
          end else begin
            state_d = hw_ret_q;
          end
        end else if (flags_q == BPF_EXIST) begin
          status_d = MAP_ST_ENOENT; state_d = S_WB;
        end else if (!pempty_q) begin  // window full
          if (!t_lru) begin
            status_d = MAP_ST_E2BIG; state_d = S_WB;
          end else begin
            pd_d = '0; state_d = S_WV_RB;
          end
        end else if (32'(cnt_q) == d_max) begin
          if (!t_lru) begin
            status_d = MAP_ST_E2BIG; state_d = S_WB;
          end else begin
            state_d = S_GV_START;
          end
        end else begin
          state_d = S_HW_NEW;
        end
      end
      S_HW_NEW: begin
        al_ret_d = S_HW_NEW2; state_d = S_AL;
      end
      S_HW_NEW2: begin
        i_d = '0; zr_ret_d = S_HW_NEW3; state_d = S_ZR;
      end
      S_HW_NEW3: begin
        i_d = '0; kcp_ret_d = S_HW_NEW4; state_d = S_KCP;
      end
      S_HW_NEW4: begin
        bk_req = 1'b1; bk_we = 1'b1;
        bk_off = pb_q;
        bk_wdata = {1'b1, hash_q, slot_q};
        lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b1;
        lv_off = SmAw'(32'(slot_q));
        cnt_d = cnt_q + 1'b1;
        if (t_lru) begin
          pv_req = 1'b1; pv_we = 1'b1; pv_off = SmAw'(32'(slot_q)); pv_wdata = NoSlot;
          nx_req = 1'b1; nx_we = 1'b1; nx_off = SmAw'(32'(slot_q)); nx_wdata = NoSlot;
          tc_ret_d = hw_ret_q; state_d = S_TC;
        end else begin
          state_d = hw_ret_q;
        end
      end
      // whole-map LRU victim: the head of the use list
      S_GV_START: begin
        crc_src_d = 1'b1; crc_slot_d = head_q; crc_d = d_seed; i_d = '0;
        crc_ret_d = S_GV_PROBE; state_d = S_CRC;
      end
      S_GV_PROBE: begin
        ph_d = crc_q; pmode_d = 1'b1; ptarget_d = head_q; pd_d = '0;
        pr_ret_d = S_GV_ERASE; state_d = S_PR_RD;
      end
      S_GV_ERASE: begin
        if (!pfound_q) begin
          status_d = MAP_ST_E2BIG; state_d = S_WB;   // unreachable
        end else begin
          er_ret_d = S_GV_REPROBE; state_d = S_ER;
        end
      end
      S_GV_REPROBE: begin
        ph_d = hash_q; pmode_d = 1'b0; pd_d = '0;
        pr_ret_d = S_GV_CHK; state_d = S_PR_RD;
      end
      S_GV_CHK: begin
        if (!pempty_q) begin
          status_d = MAP_ST_E2BIG; state_d = S_WB;   // unreachable (docs/maps.md)
        end else begin
          state_d = S_HW_NEW;
        end
      end
      // window LRU victim: the smallest stamp among the P buckets of the window
      S_WV_RB: begin
        bk_req = 1'b1;
        wv_cur_d = BkAw'(hash_q + pd_q) & bmask;
        bk_off = BkAw'(hash_q + pd_q) & bmask;
        state_d = S_WV_RS;
      end
      S_WV_RS: begin
        wv_cslot_d = bk_slot;
        sp_req = 1'b1;
        sp_off = SmAw'(32'(bk_slot));
        state_d = S_WV_CMP;
      end
      S_WV_CMP: begin
        if (pd_q == 0 || sp_rdata < wv_stamp_q) begin
          wv_stamp_d = sp_rdata; wv_b_d = wv_cur_q; wv_slot_d = wv_cslot_q;
        end
        pd_d = pd_q + 1;
        state_d = (pd_q + 1 == d_probe) ? S_WV_TAKE : S_WV_RB;
      end
      S_WV_TAKE: begin
        bk_req = 1'b1; bk_we = 1'b1;
        bk_off = wv_b_q;
        bk_wdata = {1'b1, hash_q, wv_slot_q};
        slot_d = wv_slot_q;
        i_d = '0; zr_ret_d = S_WV_K; state_d = S_ZR;
      end
      S_WV_K: begin
        i_d = '0; kcp_ret_d = S_WV_T; state_d = S_KCP;
      end
      S_WV_T: begin
        tc_ret_d = hw_ret_q; state_d = S_TC;
      end

      // ---- CRC32C over the key (key buffer or key memory slot crc_slot_q) -------------------
      S_CRC: begin
        if (i_q < d_kw) begin
          if (crc_src_q) begin
            km_req = 1'b1;
            ka_slot = crc_slot_q; ka_word = KmAw'(i_q);
          end else begin
            ikb_req = 1'b1;
            ikb_addr = KbAw'(i_q);
          end
        end
        if (i_q != 0) begin
          crc_d = map_crc64(crc_q, key_word(crc_src_q ? km_rdata : kb_rdata, i_q - 1, last_idx,
                                            key_last_mask));
        end
        i_d = i_q + 1;
        if (i_q == d_kw) state_d = crc_ret_q;
      end

      // ---- probe: find the key (or slot ptarget) in the window of hash ph_q -----------------
      S_PR_RD: begin
        if (pd_q == d_probe) begin
          pfound_d = 1'b0; pempty_d = 1'b0;
          state_d = pr_ret_q;
        end else begin
          bk_req = 1'b1;
          pb_d = BkAw'(ph_q + pd_q) & bmask;
          bk_off = BkAw'(ph_q + pd_q) & bmask;
          state_d = S_PR_CHK;
        end
      end
      S_PR_CHK: begin
        pfound_d = 1'b0; pempty_d = 1'b0;
        if (!bk_used) begin
          pempty_d = 1'b1; state_d = pr_ret_q;
        end else if (pmode_q) begin
          if (bk_slot == ptarget_q) begin
            pfound_d = 1'b1; slot_d = bk_slot; state_d = pr_ret_q;
          end else begin
            pd_d = pd_q + 1; state_d = S_PR_RD;
          end
        end else if (bk_hash == ph_q) begin
          pslot_d = bk_slot; i_d = '0; kc_ret_d = S_PR_KC; state_d = S_KC;
        end else begin
          pd_d = pd_q + 1; state_d = S_PR_RD;
        end
      end
      S_PR_KC: begin
        if (kc_eq_q) begin
          pfound_d = 1'b1; slot_d = pslot_q; state_d = pr_ret_q;
        end else begin
          pd_d = pd_q + 1; state_d = S_PR_RD;
        end
      end
      S_KC: begin  // compare the key buffer with key memory slot pslot_q
        if (i_q < d_kw) begin
          ikb_req = 1'b1; ikb_addr = KbAw'(i_q);
          km_req = 1'b1; ka_slot = pslot_q; ka_word = KmAw'(i_q);
        end
        i_d = i_q + 1;
        if (i_q != 0 &&
            key_word(kb_rdata, i_q - 1, last_idx, key_last_mask) != km_rdata) begin
          kc_eq_d = 1'b0; state_d = kc_ret_q;
        end else if (i_q == d_kw) begin
          kc_eq_d = 1'b1; state_d = kc_ret_q;
        end
      end

      // ---- LRU: use slot_q (stamp, move to the tail of the use list) ------------------------
      S_TC: begin
        tick_d = tick_q + 1;
        sp_req = 1'b1; sp_we = 1'b1;
        sp_off = SmAw'(32'(slot_q));
        sp_wdata = tick_q + 1;
        ul_ret_d = S_TC_APP; state_d = S_UL_RD;
      end
      S_TC_APP: begin
        pv_req = 1'b1; pv_we = 1'b1; pv_off = SmAw'(32'(slot_q)); pv_wdata = tail_q;
        if (tail_q == NoSlot) begin
          head_d = slot_q;
        end else begin
          nx_req = 1'b1; nx_we = 1'b1; nx_off = SmAw'(32'(tail_q)); nx_wdata = slot_q;
        end
        tail_d = slot_q;
        state_d = tc_ret_q;
      end
      S_UL_RD: begin
        pv_req = 1'b1; pv_off = SmAw'(32'(slot_q));
        nx_req = 1'b1; nx_off = SmAw'(32'(slot_q));
        state_d = S_UL_GO;
      end
      S_UL_GO: begin
        if (head_q != slot_q && pv_rdata == NoSlot) begin
          state_d = ul_ret_q;   // not in the list
        end else begin
          if (pv_rdata == NoSlot) begin
            head_d = nx_rdata;
          end else begin
            nx_req = 1'b1; nx_we = 1'b1; nx_off = SmAw'(32'(pv_rdata));
            nx_wdata = nx_rdata;
          end
          if (nx_rdata == NoSlot) begin
            tail_d = pv_rdata;
          end else begin
            pv_req = 1'b1; pv_we = 1'b1; pv_off = SmAw'(32'(nx_rdata));
            pv_wdata = pv_rdata;
          end
          state_d = S_UL_CLR;
        end
      end
      S_UL_CLR: begin
        pv_req = 1'b1; pv_we = 1'b1; pv_off = SmAw'(32'(slot_q)); pv_wdata = NoSlot;
        nx_req = 1'b1; nx_we = 1'b1; nx_off = SmAw'(32'(slot_q)); nx_wdata = NoSlot;
        state_d = ul_ret_q;
      end

      // ---- erase bucket pb_q (element slot_q), then backward shift --------------------------
      S_ER: begin
        if (t_lru) begin
          ul_ret_d = S_ER1; state_d = S_UL_RD;
        end else begin
          state_d = S_ER1;
        end
      end
      S_ER1: begin
        lv_req = 1'b1; lv_we = 1'b1; lv_wdata = 1'b0;
        lv_off = SmAw'(32'(slot_q));
        fs_req = 1'b1; fs_we = 1'b1; fs_wdata = slot_q;
        fs_off = SmAw'(32'(sp_q));
        sp_d = sp_q + 1'b1;
        bk_req = 1'b1; bk_we = 1'b1; bk_wdata = '0;
        bk_off = pb_q;
        cnt_d = cnt_q - 1'b1;
        hole_d = pb_q; k_d = pb_q;
        state_d = S_ER_NEXT;
      end
      S_ER_NEXT: begin
        if (32'(er_dist) >= d_probe) begin
          state_d = er_ret_q;
        end else begin
          k_d = er_next;
          bk_req = 1'b1;
          bk_off = er_next;
          state_d = S_ER_CHK;
        end
      end
      S_ER_CHK: begin
        if (!bk_used) begin
          state_d = er_ret_q;
        end else if (er_home >= er_hole) begin
          bk_req = 1'b1; bk_we = 1'b1; bk_wdata = bk_rdata;
          bk_off = hole_q;
          state_d = S_ER_MV;
        end else begin
          state_d = S_ER_NEXT;
        end
      end
      S_ER_MV: begin
        bk_req = 1'b1; bk_we = 1'b1; bk_wdata = '0;
        bk_off = k_q;
        hole_d = k_q;
        state_d = S_ER_NEXT;
      end

      // ---- slot allocation: free stack, else the high-water mark ----------------------------
      S_AL: begin
        if (sp_q != '0) begin
          fs_req = 1'b1;
          fs_off = SmAw'(32'(sp_q) - 32'd1);
          sp_d = sp_q - 1'b1;
          state_d = S_AL_CAP;
        end else begin
          slot_d = hw_q;
          hw_d = hw_q + 1'b1;
          state_d = al_ret_q;
        end
      end
      S_AL_CAP: begin
        slot_d = fs_rdata;
        state_d = al_ret_q;
      end

      // ---- zero every copy of slot_q ---------------------------------------------------------
      S_ZR: begin
        if (i_q < d_slw) begin
          vm_req_o = 1'b1; vm_we_o = 1'b1; vm_wmask_o = 8'hFF; vm_wdata_o = '0;
          vm_addr_o = VmAw'(vslot_addr + i_q);
          i_d = i_q + 1;
        end else begin
          state_d = zr_ret_q;
        end
      end

      // ---- key buffer -> key memory slot slot_q ----------------------------------------------
      S_KCP: begin
        if (i_q < d_kw) begin
          ikb_req = 1'b1; ikb_addr = KbAw'(i_q);
        end
        if (i_q != 0) begin
          km_req = 1'b1; km_we = 1'b1;
          ka_slot = slot_q; ka_word = KmAw'(i_q - 1);
          km_wdata = key_word(kb_rdata, i_q - 1, last_idx, key_last_mask);
        end
        i_d = i_q + 1;
        if (i_q == d_kw) state_d = kcp_ret_q;
      end

      // ---- value buffer -> value memory (n_q words from vw_addr_q), then done ---------------
      S_VW: begin
        if (i_q < n_q) begin
          ivb_req = 1'b1; ivb_addr = VbAw'(i_q);
        end
        if (i_q != 0) begin
          vm_req_o = 1'b1; vm_we_o = 1'b1;
          vm_addr_o = vw_addr_q + VmAw'(i_q - 1);
          vm_wdata_o = vb_rdata;
          vm_wmask_o = (i_q == n_q) ? vw_last_q : 8'hFF;
        end
        i_d = i_q + 1;
        if (i_q == n_q) state_d = S_WB;
      end

      // ---- value memory -> value buffer (n_q words; first word also to word_q) --------------
      S_VR: begin
        if (i_q < n_q) begin
          vm_req_o = 1'b1; vm_addr_o = vw_addr_q + VmAw'(i_q);
        end
        if (i_q != 0) begin
          if (!prog_q) begin
            ivb_req = 1'b1; ivb_we = 1'b1; ivb_addr = VbAw'(i_q - 1); ivb_wdata = vm_rdata_i;
          end
          if (i_q == 1) word_d = vm_rdata_i;
        end
        i_d = i_q + 1;
        if (i_q == n_q) state_d = S_WB;
      end

      // ---- key memory slot slot_q -> key buffer, then done ----------------------------------
      S_KO: begin
        if (i_q < d_kw) begin
          km_req = 1'b1; ka_slot = slot_q; ka_word = KmAw'(i_q);
        end
        if (i_q != 0) begin
          ikb_req = 1'b1; ikb_we = 1'b1; ikb_wmask = 8'hFF;
          ikb_addr = KbAw'(i_q - 1); ikb_wdata = km_rdata;
        end
        i_d = i_q + 1;
        if (i_q == d_kw) state_d = S_WB;
      end

      // ---- LPM: load the key buffer key (up to 3 words) --------------------------------------
      S_LD_KEY: begin
        if (i_q < d_kw) begin
          ikb_req = 1'b1; ikb_addr = KbAw'(i_q);
        end
        if (i_q != 0 && i_q <= 3) lkw_d[i_q - 1] = key_word(kb_rdata, i_q - 1, last_idx,
                                                            key_last_mask);
        if (i_q == 0) begin
          lkw_d[0] = '0; lkw_d[1] = '0; lkw_d[2] = '0;
        end
        i_d = i_q + 1;
        if (i_q == d_kw) state_d = ld_ret_q;
      end

      // ---- LPM: scan the live slots ----------------------------------------------------------
      // Per slot: its used bit and key word 0 are read together; an unused slot costs one
      // cycle, a used one 1 + (key words - 1) + 1 (the compare, which also starts the next
      // slot's reads).
      S_LS_LIVE: begin
        if (ls_q >= hw_q) begin
          state_d = ls_ret_q;
        end else begin
          lv_req = 1'b1; lv_off = SmAw'(32'(ls_q));
          km_req = 1'b1; ka_slot = ls_q; ka_word = KmAw'(32'd0);
          state_d = S_LS_LCHK;
        end
      end
      S_LS_LCHK: begin
        if (lv_rdata) begin
          lent_d[0] = km_rdata; lent_d[1] = '0; lent_d[2] = '0;
          if (d_kw > 32'd1) begin
            km_req = 1'b1; ka_slot = ls_q; ka_word = KmAw'(32'd1);
            i_d = 32'd1;
            state_d = S_LS_KRD;
          end else begin
            state_d = S_LS_EVAL;
          end
        end else if (ls_q + 1'b1 >= hw_q) begin
          state_d = ls_ret_q;
        end else begin
          ls_d = ls_q + 1'b1;
          lv_req = 1'b1; lv_off = SmAw'(32'(ls_q) + 32'd1);
          km_req = 1'b1; ka_slot = ls_q + 1'b1; ka_word = KmAw'(32'd0);
        end
      end
      S_LS_KRD: begin  // key word i_q was read in the previous cycle
        if (i_q <= 32'd2) lent_d[i_q[1:0]] = km_rdata;
        if (i_q + 1 < d_kw) begin
          km_req = 1'b1; ka_slot = ls_q; ka_word = KmAw'(i_q + 1);
          i_d = i_q + 1;
        end else begin
          state_d = S_LS_EVAL;
        end
      end
      S_LS_EVAL: begin
        ls_d = ls_q + 1'b1;
        if (ls_q + 1'b1 >= hw_q) begin
          state_d = ls_ret_q;
        end else begin
          lv_req = 1'b1; lv_off = SmAw'(32'(ls_q) + 32'd1);
          km_req = 1'b1; ka_slot = ls_q + 1'b1; ka_word = KmAw'(32'd0);
          state_d = S_LS_LCHK;
        end
        unique case (lmode_q)
          LS_LOOKUP: begin
            if (le_len <= lk_len && lpm_agree(ld_first[8:1], le_len) &&
                (!lfound_q || le_len > lb_len_q)) begin
              lfound_d = 1'b1; lb_slot_d = ls_q; lb_len_d = le_len;
            end
          end
          LS_EXACT: begin  // equal lengths: le_len's mask is lk_len's
            if (le_len == lk_len && lpm_agree(ld_first[8:1], le_len)) begin
              lfound_d = 1'b1; lb_slot_d = ls_q;
              la_valid_d = 1'b1; la_len_d = le_len; la_key_d = le_data;
              state_d = ls_ret_q;
            end
          end
          default: begin  // LS_NEXT
            if ((!la_valid_q || lpm_before(la_len_q, le_len, ld_first)) &&
                (!lfound_q || lpm_before(le_len, lb_len_q, ld_best))) begin
              lfound_d = 1'b1; lb_slot_d = ls_q; lb_len_d = le_len; lb_key_d = le_data;
            end
          end
        endcase
      end

      // ---- end of a command ------------------------------------------------------------------
      S_WB: begin
        st_req = 1'b1; st_we = 1'b1;
        st_wdata = {sp_q, hw_q, cnt_q, head_q, tail_q, tick_q};
        state_d = S_DONE;
      end
      S_DONE: begin
        state_d = S_IDLE;
      end
      default: begin
        state_d = S_IDLE;
      end
    endcase
  end

  // ---------------------------------------------------------------------------------------
  // Registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      dc_valid_q <= 1'b0;
      valid_q <= '0;
      ro_q <= '0;
    end else begin
      state_q <= state_d;
      dc_valid_q <= dc_valid_d;
      if (desc_we_i && idle) begin
        // a descriptor write invalidates the cached copy of that map
        if (dc_map_q == MapW'(desc_addr_i >> 4)) dc_valid_q <= 1'b0;
        unique case (desc_addr_i[3:0])
          4'(MAP_D_CTRL): begin
            valid_q[MapW'(desc_addr_i >> 4)] <= desc_wdata_i[31];
            ro_q[MapW'(desc_addr_i >> 4)] <= desc_wdata_i[8];
          end
          default: ;
        endcase
      end
    end
  end

  logic bounds_we_base, bounds_we_limit;
  assign bounds_we_base  = desc_we_i && idle && desc_addr_i[3:0] == 4'(MAP_D_VBASE);
  assign bounds_we_limit = desc_we_i && idle && desc_addr_i[3:0] == 4'(MAP_D_LIMIT);

  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MaxMaps), .NumRead(RegionPorts)) u_value_base (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (bounds_we_base),
    .waddr_i(MapW'(desc_addr_i >> 4)),
    .wdata_i({desc_wdata_i[28:0], 3'b000}),
    .raddr_i(region_idx_i),
    .rdata_o(region_base_o)
  );

  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MaxMaps), .NumRead(RegionPorts)) u_value_limit (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i   (bounds_we_limit),
    .waddr_i(MapW'(desc_addr_i >> 4)),
    .wdata_i(desc_wdata_i),
    .raddr_i(region_idx_i),
    .rdata_o(region_limit_o)
  );

  always_ff @(posedge clk_i) begin
    op_q <= op_d; map_q <= map_d; flags_q <= flags_d; prog_q <= prog_d; nullkey_q <= nullkey_d;
    cpu_q <= cpu_d;
    desc_q <= desc_d; dc_map_q <= dc_map_d;
    sp_q <= sp_d; hw_q <= hw_d; cnt_q <= cnt_d; head_q <= head_d; tail_q <= tail_d;
    tick_q <= tick_d;
    status_q <= status_d; offset_q <= offset_d; word_q <= word_d;
    key0_q <= key0_d; val0_q <= val0_d; i_q <= i_d; n_q <= n_d;
    crc_src_q <= crc_src_d; crc_slot_q <= crc_slot_d; crc_q <= crc_d; hash_q <= hash_d;
    ph_q <= ph_d; pd_q <= pd_d; pb_q <= pb_d; pmode_q <= pmode_d; ptarget_q <= ptarget_d;
    pslot_q <= pslot_d; pfound_q <= pfound_d; pempty_q <= pempty_d; kc_eq_q <= kc_eq_d;
    slot_q <= slot_d;
    wv_b_q <= wv_b_d; wv_cur_q <= wv_cur_d; wv_slot_q <= wv_slot_d; wv_cslot_q <= wv_cslot_d;
    wv_stamp_q <= wv_stamp_d; hole_q <= hole_d; k_q <= k_d;
    vw_addr_q <= vw_addr_d; vw_last_q <= vw_last_d;
    lkw_q <= lkw_d; lent_q <= lent_d; lmode_q <= lmode_d; ls_q <= ls_d; lfound_q <= lfound_d;
    la_valid_q <= la_valid_d; la_len_q <= la_len_d; lb_len_q <= lb_len_d; la_key_q <= la_key_d;
    lb_key_q <= lb_key_d; lb_slot_q <= lb_slot_d;
    crc_ret_q <= crc_ret_d; pr_ret_q <= pr_ret_d; kc_ret_q <= kc_ret_d; tc_ret_q <= tc_ret_d;
    ul_ret_q <= ul_ret_d; er_ret_q <= er_ret_d; al_ret_q <= al_ret_d; zr_ret_q <= zr_ret_d;
    kcp_ret_q <= kcp_ret_d; hw_ret_q <= hw_ret_d; ls_ret_q <= ls_ret_d; ld_ret_q <= ld_ret_d;
  end

  // ---------------------------------------------------------------------------------------
  // Buffers: the requester's port while idle, the controller's while busy
  // S_DONE touches no memory: the requester may use the buffers from the done cycle on.
  assign idle = state_q == S_IDLE || state_q == S_DONE;

  always_comb begin
    if (idle) begin
      kb_req = kbuf_req_i; kb_we = kbuf_we_i; kb_addr = kbuf_addr_i; kb_wdata = kbuf_wdata_i;
      kb_wmask = kbuf_wmask_i;
      vb_req = vbuf_req_i; vb_we = vbuf_we_i; vb_addr = vbuf_addr_i; vb_wdata = vbuf_wdata_i;
      vb_wmask = vbuf_wmask_i;
      dt_req = desc_we_i; dt_we = desc_we_i; dt_addr = desc_addr_i;
    end else begin
      kb_req = ikb_req; kb_we = ikb_we; kb_addr = ikb_addr; kb_wdata = ikb_wdata;
      kb_wmask = ikb_wmask;
      vb_req = ivb_req; vb_we = ivb_we; vb_addr = ivb_addr; vb_wdata = ivb_wdata;
      vb_wmask = 8'hFF;
      dt_req = idt_req; dt_we = 1'b0; dt_addr = idt_addr;
    end
    dt_wdata = desc_wdata_i;
  end

  assign kbuf_rdata_o = kb_rdata;
  assign vbuf_rdata_o = vb_rdata;

  ebpf_prim_ram_1p #(.Width(64), .Depth(KeyBufBytes / 8)) u_kbuf (
    .clk_i, .req_i(kb_req), .we_i(kb_we), .addr_i(kb_addr), .wdata_i(kb_wdata),
    .wmask_i(kb_wmask), .rdata_o(kb_rdata));
  ebpf_prim_ram_1p #(.Width(64), .Depth(ValueBufBytes / 8)) u_vbuf (
    .clk_i, .req_i(vb_req), .we_i(vb_we), .addr_i(vb_addr), .wdata_i(vb_wdata),
    .wmask_i(vb_wmask), .rdata_o(vb_rdata));
  ebpf_map_ram #(.Width(32), .Depth(MaxMaps * MAP_DESC_WORDS)) u_desc (
    .clk_i, .req_i(dt_req), .we_i(dt_we), .addr_i(dt_addr), .wdata_i(dt_wdata),
    .rdata_o(dt_rdata));
  ebpf_map_ram #(.Width(StW), .Depth(MaxMaps)) u_state (
    .clk_i, .req_i(st_req), .we_i(st_we), .addr_i(st_addr), .wdata_i(st_wdata),
    .rdata_o(st_rdata));
  ebpf_map_ram #(.Width(64), .Depth(KeyWords)) u_keymem (
    .clk_i, .req_i(km_req), .we_i(km_we), .addr_i(km_addr), .wdata_i(km_wdata),
    .rdata_o(km_rdata));
  ebpf_map_ram #(.Width(BkW), .Depth(Buckets)) u_buckets (
    .clk_i, .req_i(bk_req), .we_i(bk_we), .addr_i(bk_addr), .wdata_i(bk_wdata),
    .rdata_o(bk_rdata));
  ebpf_map_ram #(.Width(1), .Depth(Slots)) u_live (
    .clk_i, .req_i(lv_req), .we_i(lv_we), .addr_i(lv_addr), .wdata_i(lv_wdata),
    .rdata_o(lv_rdata));
  ebpf_map_ram #(.Width(SlotW), .Depth(Slots)) u_prev (
    .clk_i, .req_i(pv_req), .we_i(pv_we), .addr_i(pv_addr), .wdata_i(pv_wdata),
    .rdata_o(pv_rdata));
  ebpf_map_ram #(.Width(SlotW), .Depth(Slots)) u_next (
    .clk_i, .req_i(nx_req), .we_i(nx_we), .addr_i(nx_addr), .wdata_i(nx_wdata),
    .rdata_o(nx_rdata));
  ebpf_map_ram #(.Width(64), .Depth(Slots)) u_stamp (
    .clk_i, .req_i(sp_req), .we_i(sp_we), .addr_i(sp_addr), .wdata_i(sp_wdata),
    .rdata_o(sp_rdata));
  ebpf_map_ram #(.Width(SlotW), .Depth(Slots)) u_free (
    .clk_i, .req_i(fs_req), .we_i(fs_we), .addr_i(fs_addr), .wdata_i(fs_wdata),
    .rdata_o(fs_rdata));

  assign cmd_done_o   = state_q == S_DONE;
  assign cmd_status_o = map_status_word(status_q);
  assign cmd_offset_o = offset_q;
  assign cmd_word_o   = word_q;
  assign busy_o       = !idle;
  assign map_valid_o  = valid_q;
  assign map_ro_o     = ro_q;

endmodule
