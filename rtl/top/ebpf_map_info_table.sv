/**
 * Map table of the helper unit (CSR_MINFO, docs/register-map.md): per map slot valid, type,
 * key size, value size and max entries, written by the host beside the map descriptors.
 *
 * As the program table (ebpf_prog_table), the fields are LUT RAM with one asynchronous read
 * port per reader, not flip-flops behind MapSlots-way muxes: the host's read-back and the
 * helper unit's two map handles (r1 and r2 of a call). The valid bits stay flip-flops (reset
 * to 0), and a flip-flop per entry and field says whether it was written since reset, so an
 * entry reads 0 until written, as before.
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

  logic [7:0]  type_mem  [MapSlots];
  logic [31:0] ksize_mem [MapSlots];
  logic [31:0] vsize_mem [MapSlots];
  logic [31:0] max_mem   [MapSlots];
  logic [MapSlots-1:0] valid_q;
  logic [MapSlots-1:0] type_ok_q, ksize_ok_q, vsize_ok_q, max_ok_q;   // written since reset

  always_ff @(posedge clk_i) begin
    if (we_i) begin
      unique case (field_i)
        2'd0:    type_mem[host_idx_i]  <= wdata_i[7:0];
        2'd1:    ksize_mem[host_idx_i] <= wdata_i;
        2'd2:    vsize_mem[host_idx_i] <= wdata_i;
        default: max_mem[host_idx_i]   <= wdata_i;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q    <= '0;
      type_ok_q  <= '0;
      ksize_ok_q <= '0;
      vsize_ok_q <= '0;
      max_ok_q   <= '0;
    end else if (we_i) begin
      unique case (field_i)
        2'd0: begin
          valid_q[host_idx_i]   <= wvalid_i;
          type_ok_q[host_idx_i] <= 1'b1;
        end
        2'd1:    ksize_ok_q[host_idx_i] <= 1'b1;
        2'd2:    vsize_ok_q[host_idx_i] <= 1'b1;
        default: max_ok_q[host_idx_i]   <= 1'b1;
      endcase
    end
  end

  assign host_valid_o       = valid_q[host_idx_i];
  assign host_type_o        = type_ok_q[host_idx_i]  ? type_mem[host_idx_i]  : 8'd0;
  assign host_key_size_o    = ksize_ok_q[host_idx_i] ? ksize_mem[host_idx_i] : 32'd0;
  assign host_value_size_o  = vsize_ok_q[host_idx_i] ? vsize_mem[host_idx_i] : 32'd0;
  assign host_max_entries_o = max_ok_q[host_idx_i]   ? max_mem[host_idx_i]   : 32'd0;

  assign a_valid_o       = valid_q[a_idx_i];
  assign a_type_o        = type_ok_q[a_idx_i]  ? type_mem[a_idx_i]  : 8'd0;
  assign a_key_size_o    = ksize_ok_q[a_idx_i] ? ksize_mem[a_idx_i] : 32'd0;
  assign a_value_size_o  = vsize_ok_q[a_idx_i] ? vsize_mem[a_idx_i] : 32'd0;
  assign a_max_entries_o = max_ok_q[a_idx_i]   ? max_mem[a_idx_i]   : 32'd0;

  assign b_valid_o       = valid_q[b_idx_i];
  assign b_type_o        = type_ok_q[b_idx_i] ? type_mem[b_idx_i] : 8'd0;
  assign b_max_entries_o = max_ok_q[b_idx_i]  ? max_mem[b_idx_i]  : 32'd0;

endmodule
