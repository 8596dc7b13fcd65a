/**
 * Place-and-route harness of ebpf_map_unit (out of context, default parameters): the unit's
 * inputs come from a shift register fed by one pin and its outputs are XOR-folded into one
 * register, so that a package's pins suffice and only register-to-register paths inside the
 * unit set the Fmax. Used by scripts/pnr/pnr_ecp5.sh --top pnr_map_unit (docs/maps.md).
 */
module pnr_map_unit (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic din_i,
  output logic dout_o
);
  import ebpf_map_pkg::*;

  localparam int unsigned MaxMaps = 32;
  localparam int unsigned InW = 1 + 3 + 32 + 64 + 1 + 8 + 1 + (1 + 1 + 6 + 64 + 8) +
                                (1 + 1 + 7 + 64 + 8) + (1 + 9 + 32) + 64 + 3 * $clog2(MaxMaps);
  logic [InW-1:0] in_q;
  always_ff @(posedge clk_i) in_q <= {in_q[InW-2:0], din_i};

  logic cmd_done, busy;
  logic [31:0] status, offset;
  logic [63:0] word, kb_rdata, vb_rdata, vm_wdata;
  logic [MaxMaps-1:0] valid, ro;
  // Three region read ports as in ebpf_top, addressed from the inputs.
  logic [2:0][31:0] base, limit;
  logic vm_req, vm_we;
  logic [13:0] vm_addr;
  logic [7:0] vm_wmask;

  ebpf_map_unit #(
    .RegionPorts (3)
  ) u_dut (
    .clk_i, .rst_ni,
    .cmd_valid_i(in_q[0]), .cmd_op_i(map_op_e'(in_q[3:1])), .cmd_map_i(in_q[35:4]),
    .cmd_flags_i(in_q[99:36]), .cmd_prog_i(in_q[100]), .cmd_cpu_i(in_q[108:101]),
    .cmd_null_key_i(in_q[109]),
    .cmd_done_o(cmd_done), .cmd_status_o(status), .cmd_offset_o(offset), .cmd_word_o(word),
    .busy_o(busy),
    .kbuf_req_i(in_q[110]), .kbuf_we_i(in_q[111]), .kbuf_addr_i(in_q[117:112]),
    .kbuf_wdata_i(in_q[181:118]), .kbuf_wmask_i(in_q[189:182]), .kbuf_rdata_o(kb_rdata),
    .vbuf_req_i(in_q[190]), .vbuf_we_i(in_q[191]), .vbuf_addr_i(in_q[198:192]),
    .vbuf_wdata_i(in_q[262:199]), .vbuf_wmask_i(in_q[270:263]), .vbuf_rdata_o(vb_rdata),
    .desc_we_i(in_q[271]), .desc_addr_i(in_q[280:272]), .desc_wdata_i(in_q[312:281]),
    .map_valid_o(valid), .map_ro_o(ro),
    .region_idx_i(in_q[InW-1 -: 3 * $clog2(MaxMaps)]), .region_base_o(base), .region_limit_o(limit),
    .vm_req_o(vm_req), .vm_we_o(vm_we), .vm_addr_o(vm_addr), .vm_wdata_o(vm_wdata),
    .vm_wmask_o(vm_wmask), .vm_rdata_i(in_q[376:313])
  );

  logic fold_q;
  always_ff @(posedge clk_i) begin
    fold_q <= cmd_done ^ busy ^ (^status) ^ (^offset) ^ (^word) ^ (^kb_rdata) ^ (^vb_rdata) ^
              (^valid) ^ (^ro) ^ (^base) ^ (^limit) ^ vm_req ^ vm_we ^ (^vm_addr) ^
              (^vm_wdata) ^ (^vm_wmask);
  end
  assign dout_o = fold_q;

endmodule
