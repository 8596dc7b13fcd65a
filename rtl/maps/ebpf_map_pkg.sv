/**
 * Map unit constants: command op codes, map type numbers (Linux), errnos, and the
 * descriptor register layout (docs/xdp_datapath.md "Map descriptor table").
 */
package ebpf_map_pkg;

  // ---- command op codes (cmd_op_i): the codes the helper unit sends (ebpf_pkg::MapOp*)
  typedef enum logic [2:0] {
    MAP_OP_LOOKUP   = ebpf_pkg::MapOpLookup,
    MAP_OP_UPDATE   = ebpf_pkg::MapOpUpdate,
    MAP_OP_DELETE   = ebpf_pkg::MapOpDelete,
    MAP_OP_NEXT_KEY = ebpf_pkg::MapOpNextKey,
    MAP_OP_INIT     = ebpf_pkg::MapOpInit
  } map_op_e;

  // Map types: ebpf_pkg::MapType* (Linux enum bpf_map_type), shared with the helper unit.

  // ---- results (cmd_status_o): 0 or a negative Linux errno
  localparam logic [31:0] MAP_OK          = 32'd0;
  localparam logic [31:0] MAP_ENOENT      = -32'sd2;
  localparam logic [31:0] MAP_E2BIG       = -32'sd7;
  localparam logic [31:0] MAP_EEXIST      = -32'sd17;
  localparam logic [31:0] MAP_EINVAL      = -32'sd22;
  localparam logic [31:0] MAP_ENOSPC      = -32'sd28;
  localparam logic [31:0] MAP_EOPNOTSUPP  = -32'sd95;
  localparam logic [31:0] MAP_ENOTSUPP    = -32'sd524;

  // The result as the unit keeps it (one of the values above), widened at the port.
  typedef enum logic [2:0] {
    MAP_ST_OK, MAP_ST_ENOENT, MAP_ST_E2BIG, MAP_ST_EEXIST, MAP_ST_EINVAL, MAP_ST_ENOSPC,
    MAP_ST_EOPNOTSUPP, MAP_ST_ENOTSUPP
  } map_status_e;

  function automatic logic [31:0] map_status_word(map_status_e st);
    unique case (st)
      MAP_ST_OK:         return MAP_OK;
      MAP_ST_ENOENT:     return MAP_ENOENT;
      MAP_ST_E2BIG:      return MAP_E2BIG;
      MAP_ST_EEXIST:     return MAP_EEXIST;
      MAP_ST_EINVAL:     return MAP_EINVAL;
      MAP_ST_ENOSPC:     return MAP_ENOSPC;
      MAP_ST_EOPNOTSUPP: return MAP_EOPNOTSUPP;
      default:           return MAP_ENOTSUPP;
    endcase
  endfunction

  // ---- update flags
  localparam logic [63:0] BPF_NOEXIST = 64'd1;
  localparam logic [63:0] BPF_EXIST   = 64'd2;
  localparam logic [63:0] BPF_F_LOCK  = 64'd4;

  // ---- descriptor: 16 registers of 32 bits per map, register index = map * 16 + word
  localparam int unsigned MAP_DESC_WORDS = 16;
  localparam int unsigned MAP_D_CTRL    = 0;   // [7:0] type, [8] read_only, [31] valid
  localparam int unsigned MAP_D_KEY     = 1;   // [15:0] key_size, [31:16] key words
  localparam int unsigned MAP_D_VSIZE   = 2;   // value_size (bytes)
  localparam int unsigned MAP_D_MAX     = 3;   // max_entries (value slots; 0: no memory)
  localparam int unsigned MAP_D_VBASE   = 4;   // value memory base (64-bit word index)
  localparam int unsigned MAP_D_LIMIT   = 5;   // bytes a program may address
  localparam int unsigned MAP_D_STRIDE  = 6;   // [15:0] stride words, [31:16] copies
  localparam int unsigned MAP_D_SLOTW   = 7;   // words of one slot (copies x stride words)
  localparam int unsigned MAP_D_KBASE   = 8;   // key memory base (64-bit word index)
  localparam int unsigned MAP_D_BBASE   = 9;   // bucket memory base
  localparam int unsigned MAP_D_BMASK   = 10;  // buckets - 1 (a power of 2 minus 1)
  localparam int unsigned MAP_D_PROBE   = 11;  // probe window P
  localparam int unsigned MAP_D_SEED    = 12;  // CRC32C seed
  localparam int unsigned MAP_D_SBASE   = 13;  // slot memory base (used bits, LRU, free stack)

  // CRC32C (reflected 0x82F63B78) of one 64-bit word, bytes in memory order (little endian).
  function automatic logic [31:0] map_crc64(logic [31:0] crc_in, logic [63:0] data);
    logic [31:0] c;
    c = crc_in;
    for (int unsigned b = 0; b < 64; b++) begin
      c = (c[0] ^ data[b]) ? ((c >> 1) ^ 32'h82F63B78) : (c >> 1);
    end
    return c;
  endfunction

  // Byte mask of the last word of an n-byte field (n > 0).
  function automatic logic [7:0] map_last_mask(logic [2:0] n_lo);
    return (n_lo == 3'd0) ? 8'hFF : 8'((9'd1 << n_lo) - 9'd1);
  endfunction

  function automatic logic [63:0] map_mask_bytes(logic [63:0] w, logic [7:0] m);
    logic [63:0] r;
    for (int unsigned i = 0; i < 8; i++) r[8*i +: 8] = m[i] ? w[8*i +: 8] : 8'h00;
    return r;
  endfunction

endpackage
