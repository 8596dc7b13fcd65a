/**
 * Map table of the helper unit (CSR_MINFO, docs/register-map.md): per map slot valid, type,
 * key size, value size and max entries, written by the host beside the map descriptors.
 *
 * As the program table (ebpf_prog_table), the fields are LUT RAM with one asynchronous read
 * port per reader (ebpf_prim_lutram_flagged), not flip-flops behind MapSlots-way muxes: the
 * host's read-back and the helper unit's two map handles (r1 and r2 of a call). An entry
 * reads 0 until written. The valid bits stay flip-flops, reset to 0.
 */
module ebpf_map_info_table #(
  parameter int unsigned MapSlots = 32,
  localparam int unsigned MapW    = (MapSlots > 1) ? $clog2(MapSlots) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,

  // Host port: writes one field (0: valid and type, 1: key size, 2: value size, 3: max
  // entries) of entry host_idx_i, and reads that entry.
  input  logic            we_i,
  input  logic [1:0]      field_i,
  input  logic            wvalid_i,        // field 0: the valid bit
  input  logic [31:0]     wdata_i,         // field 0: type in [7:0]
  input  logic [MapW-1:0] host_idx_i,
  output logic            host_valid_o,
  output logic [7:0]      host_type_o,
  output logic [31:0]     host_key_size_o,
  output logic [31:0]     host_value_size_o,
  output logic [31:0]     host_max_entries_o,

  // Helper unit: the map of handle A (r1) and of handle B (r2).
  input  logic [MapW-1:0] a_idx_i,
  output logic            a_valid_o,
  output logic [7:0]      a_type_o,
  output logic [31:0]     a_key_size_o,
  output logic [31:0]     a_value_size_o,
  output logic [31:0]     a_max_entries_o,
  input  logic [MapW-1:0] b_idx_i,
  output logic            b_valid_o,
  output logic [7:0]      b_type_o,
  output logic [31:0]     b_max_entries_o
);

  // One table per field, each with a read port per reader of that field.
  logic [2:0][7:0]  type_rd;
  logic [2:0][31:0] max_rd;
  logic [1:0][31:0] ksize_rd, vsize_rd;
  logic [3:0]       field_we;

  for (genvar f = 0; f < 4; f++) begin : g_field_we
    assign field_we[f] = we_i && field_i == 2'(f);
  end

  ebpf_prim_lutram_flagged #(.Width(8), .Depth(MapSlots), .NumRead(3)) u_type (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i(field_we[0]), .waddr_i(host_idx_i), .wdata_i(wdata_i[7:0]),
    .raddr_i({b_idx_i, a_idx_i, host_idx_i}), .rdata_o(type_rd)
  );
  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MapSlots), .NumRead(2)) u_key_size (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i(field_we[1]), .waddr_i(host_idx_i), .wdata_i(wdata_i),
    .raddr_i({a_idx_i, host_idx_i}), .rdata_o(ksize_rd)
  );
  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MapSlots), .NumRead(2)) u_value_size (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i(field_we[2]), .waddr_i(host_idx_i), .wdata_i(wdata_i),
    .raddr_i({a_idx_i, host_idx_i}), .rdata_o(vsize_rd)
  );
  ebpf_prim_lutram_flagged #(.Width(32), .Depth(MapSlots), .NumRead(3)) u_max_entries (
    .clk_i, .rst_ni, .clear_i(1'b0),
    .we_i(field_we[3]), .waddr_i(host_idx_i), .wdata_i(wdata_i),
    .raddr_i({b_idx_i, a_idx_i, host_idx_i}), .rdata_o(max_rd)
  );

  // A valid bit is one flip-flop per map either way (LUT RAM would need a written-flag
  // beside it), so the valid bits stay flip-flops.
  logic [MapSlots-1:0] valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (field_we[0]) begin
      valid_q[host_idx_i] <= wvalid_i;
    end
  end

  assign host_valid_o       = valid_q[host_idx_i];
  assign host_type_o        = type_rd[0];
  assign host_key_size_o    = ksize_rd[0];
  assign host_value_size_o  = vsize_rd[0];
  assign host_max_entries_o = max_rd[0];

  assign a_valid_o       = valid_q[a_idx_i];
  assign a_type_o        = type_rd[1];
  assign a_key_size_o    = ksize_rd[1];
  assign a_value_size_o  = vsize_rd[1];
  assign a_max_entries_o = max_rd[1];

  assign b_valid_o       = valid_q[b_idx_i];
  assign b_type_o        = type_rd[2];
  assign b_max_entries_o = max_rd[2];

endmodule
