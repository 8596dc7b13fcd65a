/**
 * AXI4-Lite slave -> CSR bus (ebpf_top's): the XDMA's BAR window (M_AXI_LITE) onto the soft-CPU
 *
 * One transaction at a time. A write needs both AW and W (in any order) and answers OKAY
 * after the one-cycle CSR write. A read issues the CSR read and answers when csr_rvalid_i
 * comes, or SLVERR with 0xdeadbeef after BusTimeout cycles (so a bad address never wedges
 * the host's PCIe read). Addresses outside the CSR map (bits above CsrAw, or not 4-byte
 * aligned) answer SLVERR without touching the bus (reads return 0xdeadbeef). Byte strobes
 * other than 4'hf answer SLVERR, as Etherbone refuses partial writes.
 */
module ebpf_axil_csr #(
  parameter int unsigned AddrW      = 32,
  parameter int unsigned BusTimeout = 255
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,

  input  logic [AddrW-1:0]               s_axil_awaddr_i,
  input  logic                           s_axil_awvalid_i,
  output logic                           s_axil_awready_o,
  input  logic [31:0]                    s_axil_wdata_i,
  input  logic [3:0]                     s_axil_wstrb_i,
  input  logic                           s_axil_wvalid_i,
  output logic                           s_axil_wready_o,
  output logic [1:0]                     s_axil_bresp_o,
  output logic                           s_axil_bvalid_o,
  input  logic                           s_axil_bready_i,
  input  logic [AddrW-1:0]               s_axil_araddr_i,
  input  logic                           s_axil_arvalid_i,
  output logic                           s_axil_arready_o,
  output logic [31:0]                    s_axil_rdata_o,
  output logic [1:0]                     s_axil_rresp_o,
  output logic                           s_axil_rvalid_o,
  input  logic                           s_axil_rready_i,

  output logic                           csr_req_o,
  output logic                           csr_we_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr_o,
  output logic [31:0]                    csr_wdata_o,
  input  logic                           csr_rvalid_i,
  input  logic [31:0]                    csr_rdata_i
);

  localparam int unsigned Aw = ebpf_csr_pkg::CsrAw;
  localparam logic [1:0] RespOkay = 2'b00, RespSlvErr = 2'b10;

  typedef enum logic [2:0] { StIdle, StWrite, StRead, StWait, StBResp, StRResp } state_e;
  state_e st_q, st_d;

  logic [AddrW-1:0] addr_q, addr_d;
  logic [31:0]      data_q, data_d;
  logic [3:0]       strb_q, strb_d;
  logic             aw_q, aw_d, w_q, w_d;
  logic [1:0]       resp_q, resp_d;
  logic [7:0]       tmo_q, tmo_d;

  // The address is in the CSR map: nothing above CsrAw, 4-byte aligned.
  logic addr_ok;
  assign addr_ok = (addr_q[AddrW-1:Aw] == '0) && (addr_q[1:0] == 2'b00);

  always_comb begin
    st_d = st_q; addr_d = addr_q; data_d = data_q; strb_d = strb_q; aw_d = aw_q; w_d = w_q;
    resp_d = resp_q; tmo_d = tmo_q;
    s_axil_awready_o = 1'b0;
    s_axil_wready_o  = 1'b0;
    s_axil_arready_o = 1'b0;
    s_axil_bvalid_o  = (st_q == StBResp);
    s_axil_bresp_o   = resp_q;
    s_axil_rvalid_o  = (st_q == StRResp);
    s_axil_rresp_o   = resp_q;
    s_axil_rdata_o   = data_q;
    csr_req_o        = 1'b0;
    csr_we_o         = 1'b0;
    csr_addr_o       = addr_q[Aw-1:0];
    csr_wdata_o      = data_q;
    unique case (st_q)
      StIdle: begin
        // Writes first when both come together; a write's halves may come one by one.
        if (s_axil_awvalid_i || s_axil_wvalid_i || aw_q || w_q) begin
          s_axil_awready_o = !aw_q;
          s_axil_wready_o  = !w_q;
          if (s_axil_awvalid_i && !aw_q) begin
            addr_d = s_axil_awaddr_i; aw_d = 1'b1;
          end
          if (s_axil_wvalid_i && !w_q) begin
            data_d = s_axil_wdata_i; strb_d = s_axil_wstrb_i; w_d = 1'b1;
          end
          if ((aw_q || s_axil_awvalid_i) && (w_q || s_axil_wvalid_i)) st_d = StWrite;
        end else if (s_axil_arvalid_i) begin
          s_axil_arready_o = 1'b1;
          addr_d = s_axil_araddr_i;
          st_d   = StRead;
        end
      end
      StWrite: begin
        aw_d = 1'b0; w_d = 1'b0;
        if (addr_ok && strb_q == 4'hf) begin
          csr_req_o = 1'b1; csr_we_o = 1'b1; resp_d = RespOkay;
        end else begin
          resp_d = RespSlvErr;
        end
        st_d = StBResp;
      end
      StRead: begin
        if (addr_ok) begin
          csr_req_o = 1'b1; tmo_d = 8'(BusTimeout); st_d = StWait;
        end else begin
          resp_d = RespSlvErr; data_d = 32'hdead_beef; st_d = StRResp;
        end
      end
      StWait: begin
        if (csr_rvalid_i) begin
          resp_d = RespOkay; data_d = csr_rdata_i; st_d = StRResp;
        end else if (tmo_q == '0) begin
          resp_d = RespSlvErr; data_d = 32'hdead_beef; st_d = StRResp;
        end else begin
          tmo_d = tmo_q - 8'd1;
        end
      end
      StBResp: if (s_axil_bready_i) st_d = StIdle;
      StRResp: if (s_axil_rready_i) st_d = StIdle;
      default: st_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= StIdle; addr_q <= '0; data_q <= '0; strb_q <= '0; aw_q <= 1'b0; w_q <= 1'b0;
      resp_q <= RespOkay; tmo_q <= '0;
    end else begin
      st_q <= st_d; addr_q <= addr_d; data_q <= data_d; strb_q <= strb_d; aw_q <= aw_d;
      w_q <= w_d; resp_q <= resp_d; tmo_q <= tmo_d;
    end
  end

endmodule
