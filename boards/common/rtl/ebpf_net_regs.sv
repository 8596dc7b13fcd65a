/**
 * NET register page and CSR bus split
 *
 * Sits between the Etherbone bus master and ebpf_top's CSR slave. Accesses inside the NET
 * page (ebpf_net_pkg::NetCsrBase, 4 KiB) are answered here: identification, the local
 * addresses and the stack's counters (net_reg_e), all read-only (writes are ignored). Every
 * other access passes through unchanged. Local reads answer in the next cycle, like
 * ebpf_top, on the same rvalid/rdata lines.
 */
module ebpf_net_regs
  import ebpf_net_pkg::*;
#(
  parameter int unsigned CntW = 32    // counter width in bits, 1..32
) (
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic [47:0] local_mac_i,
  input  logic [31:0] local_ip_i,
  input  logic [15:0] ctrl_port_i,
  input  logic [NetNumRegs-1:0][CntW-1:0] cnt_i,   // counters, by net_reg_e index

  // Bus from the Etherbone master
  input  logic        s_csr_req_i,
  input  logic        s_csr_we_i,
  input  logic [ebpf_csr_pkg::CsrAw-1:0] s_csr_addr_i,
  input  logic [31:0] s_csr_wdata_i,
  output logic        s_csr_rvalid_o,
  output logic [31:0] s_csr_rdata_o,

  // Bus to ebpf_top
  output logic        m_csr_req_o,
  output logic        m_csr_we_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0] m_csr_addr_o,
  output logic [31:0] m_csr_wdata_o,
  input  logic        m_csr_rvalid_i,
  input  logic [31:0] m_csr_rdata_i
);

  localparam int unsigned CsrAw = ebpf_csr_pkg::CsrAw;

  if (CntW < 1 || CntW > 32) begin : gen_cnt_check
    $error("ebpf_net_regs: CntW (%0d) must be in [1, 32] (instance %m)", CntW);
  end

  logic in_page;
  assign in_page = s_csr_addr_i[CsrAw-1:NetCsrPageBits] == NetCsrBase[CsrAw-1:NetCsrPageBits];

  assign m_csr_req_o   = s_csr_req_i && !in_page;
  assign m_csr_we_o    = s_csr_we_i;
  assign m_csr_addr_o  = s_csr_addr_i;
  assign m_csr_wdata_o = s_csr_wdata_i;

  logic [5:0]  idx;
  logic [31:0] value;
  assign idx = s_csr_addr_i[7:2];

  always_comb begin
    value = 32'd0;
    if (s_csr_addr_i[NetCsrPageBits-1:8] == '0) begin
      unique case (idx)
        NetRegId:    value = NetId;
        NetRegMacHi: value = {16'd0, local_mac_i[47:32]};
        NetRegMacLo: value = local_mac_i[31:0];
        NetRegIp:    value = local_ip_i;
        NetRegPort:  value = {16'd0, ctrl_port_i};
        default: begin
          if (32'(idx) >= 32'(NetRegRxGood) && 32'(idx) < NetNumRegs) begin
            value = 32'(cnt_i[idx]);
          end
        end
      endcase
    end
  end

  logic        local_rvalid_q;
  logic [31:0] local_rdata_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      local_rvalid_q <= 1'b0;
      local_rdata_q  <= '0;
    end else begin
      local_rvalid_q <= s_csr_req_i && !s_csr_we_i && in_page;
      local_rdata_q  <= value;
    end
  end

  assign s_csr_rvalid_o = local_rvalid_q || m_csr_rvalid_i;
  assign s_csr_rdata_o  = local_rvalid_q ? local_rdata_q : m_csr_rdata_i;

  logic unused_cnt0;
  assign unused_cnt0 = ^{cnt_i[7:0]};

endmodule
