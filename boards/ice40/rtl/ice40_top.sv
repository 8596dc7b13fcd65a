/**
 * iCE40 (iCEBreaker UP5K, or an HX8K board): the soft-CPU alone with UART control
 *
 * No Ethernet: ebpf_top's CSR bus is driven by ebpf_uart_csr (115200 8N1, protocol in
 * boards/common/rtl/ebpf_uart_csr.sv) from the board's 12 MHz clock, which the core runs on
 * directly. The smallest configuration the core has parameters for: ImemSlots and the
 * Colorlight's small map and event pools; the stack, the packet buffer and the full ISA have
 * no size parameters. docs/boards.md says how far this is from fitting.
 */
module ice40_top #(
  parameter int unsigned ImemSlots = 256,
  // ebpf_top's map and event pools, passed down unchanged (the capability block reports them)
  parameter int unsigned MapSlots       = 8,
  parameter int unsigned MapValueBytes  = 8192,
  parameter int unsigned MapKeyWords    = 256,
  parameter int unsigned MapBuckets     = 1024,
  parameter int unsigned MapPoolSlots   = 256,
  parameter int unsigned EventFifoBytes = 4096
) (
  input  logic clk12_i,
  input  logic uart_rx_i,
  output logic uart_tx_o,
  output logic led_no          // active low
);

  // Power-on reset: iCE40 flops start at 0 after configuration.
  logic [3:0] por_q;
  logic       rst_n;
  always_ff @(posedge clk12_i) begin
    if (!por_q[3]) por_q <= por_q + 4'd1;
  end
  assign rst_n = por_q[3];

  logic        csr_req, csr_we, csr_rvalid;
  logic [ebpf_csr_pkg::CsrAw-1:0] csr_addr;
  logic [31:0] csr_wdata, csr_rdata;
  logic unused_mcmd_busy;
  ebpf_csr_pkg::run_verdict_t unused_verdict;
  logic [63:0] unused_pkt_rdata;
  logic [63:0] unused_pkt_eg_rdata;
  logic        busy, done;

  ebpf_uart_csr #(
    .ClkDiv (104)                 // 12 MHz / 115200
  ) u_uart (
    .clk_i        (clk12_i),
    .rst_ni       (rst_n),
    .uart_rx_i    (uart_rx_i),
    .uart_tx_o    (uart_tx_o),
    .csr_req_o    (csr_req),
    .csr_we_o     (csr_we),
    .csr_addr_o   (csr_addr),
    .csr_wdata_o  (csr_wdata),
    .csr_rvalid_i (csr_rvalid),
    .csr_rdata_i  (csr_rdata)
  );

  ebpf_top #(
    .ImemSlots  (ImemSlots),
    .NsPerCycle (83),
    .MapSlots       (MapSlots),
    .MapValueBytes  (MapValueBytes),
    .MapKeyWords    (MapKeyWords),
    .MapBuckets     (MapBuckets),
    .MapPoolSlots   (MapPoolSlots),
    .EventFifoBytes (EventFifoBytes)
  ) u_top (
    .clk_i            (clk12_i),
    .rst_ni           (rst_n),
    .csr_req_i        (csr_req),
    .csr_we_i         (csr_we),
    .csr_addr_i       (csr_addr),
    .csr_wdata_i      (csr_wdata),
    .csr_rvalid_o     (csr_rvalid),
    .csr_rdata_o      (csr_rdata),
    .pkt_port_req_i   (1'b0),
    .pkt_port_we_i    (1'b0),
    .pkt_port_addr_i  ('0),
    .pkt_port_wdata_i ('0),
    .pkt_port_wmask_i ('0),
    .pkt_port_rdata_o (unused_pkt_rdata),
    .pkt_bank_i       (1'b0),
    .pkt_eg_bank_i    (1'b0),
    .pkt_eg_req_i     (1'b0),
    .pkt_eg_addr_i    ('0),
    .pkt_eg_rdata_o   (unused_pkt_eg_rdata),
    .host_drop_i      (1'b0),   // the bridge refuses only addresses outside the CSR map
    .host_drop_addr_i ('0),
    .mcmd_busy_o      (unused_mcmd_busy),  // no frame sequencer to hold back here
    .busy_o           (busy),
    .done_o           (done),
    .verdict_o        (unused_verdict)    // no packet sequencer here
  );

  assign led_no = ~busy;

  logic unused_top;
  assign unused_top = ^{done, unused_pkt_rdata, unused_pkt_eg_rdata};

endmodule
