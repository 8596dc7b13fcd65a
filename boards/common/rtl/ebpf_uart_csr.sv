/**
 * UART (8N1) to CSR-bus bridge: control for boards without Ethernet (iCE40)
 *
 * Host -> board, one command at a time (addresses and data big-endian, byte addresses as
 * on the Etherbone bus):
 *   'w' A3 A2 A1 A0 D3 D2 D1 D0   write D to A                 -> 'k'
 *   'r' A3 A2 A1 A0               read A                       -> 'd' D3 D2 D1 D0
 *                                 (no answer within BusTimeout -> 'e')
 *   any other first byte          ignored                      -> '?'
 * Addresses outside the CSR map are refused ('a'), as ebpf_net_pkg::csr_addr_ok decides for
 * Etherbone: bits above CsrAw set, or not 4-byte aligned.
 */
module ebpf_uart_csr #(
  parameter int unsigned ClkDiv     = 104,   // core clock cycles per bit (12 MHz / 115200)
  parameter int unsigned BusTimeout = 255    // core cycles a read may take
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic                            uart_rx_i,
  output logic                            uart_tx_o,

  output logic                            csr_req_o,
  output logic                            csr_we_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0]  csr_addr_o,
  output logic [31:0]                     csr_wdata_o,
  input  logic                            csr_rvalid_i,
  input  logic [31:0]                     csr_rdata_i
);

  localparam int unsigned DivW = $clog2(ClkDiv + 1);
  localparam int unsigned Aw   = ebpf_csr_pkg::CsrAw;

  if (ClkDiv < 4) begin : gen_bad_div
    $error("ebpf_uart_csr %m: ClkDiv must be at least 4");
  end

  // ---- receiver: 2-flop synchroniser, start bit found at its middle ------------------------
  logic       rx_s1_q, rx_s2_q;
  logic [DivW-1:0] rx_cnt_q;
  logic [3:0] rx_bit_q;
  logic [7:0] rx_sh_q;
  logic       rx_busy_q, rx_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_s1_q <= 1'b1; rx_s2_q <= 1'b1;
      rx_cnt_q <= '0; rx_bit_q <= '0; rx_sh_q <= '0; rx_busy_q <= 1'b0; rx_valid_q <= 1'b0;
    end else begin
      rx_s1_q    <= uart_rx_i;
      rx_s2_q    <= rx_s1_q;
      rx_valid_q <= 1'b0;
      if (!rx_busy_q) begin
        if (!rx_s2_q) begin                       // start bit edge
          rx_busy_q <= 1'b1;
          rx_cnt_q  <= DivW'(ClkDiv / 2);
          rx_bit_q  <= '0;
        end
      end else if (rx_cnt_q != '0) begin
        rx_cnt_q <= rx_cnt_q - 1'b1;
      end else begin
        rx_cnt_q <= DivW'(ClkDiv - 1);
        rx_bit_q <= rx_bit_q + 4'd1;
        if (rx_bit_q == 4'd0) begin
          if (rx_s2_q) rx_busy_q <= 1'b0;          // glitch, not a start bit
        end else if (rx_bit_q <= 4'd8) begin
          rx_sh_q <= {rx_s2_q, rx_sh_q[7:1]};
        end else begin                            // stop bit
          rx_busy_q  <= 1'b0;
          rx_valid_q <= rx_s2_q;                  // framing error: byte dropped
        end
      end
    end
  end

  // ---- transmitter -------------------------------------------------------------------------
  logic [9:0]      tx_sh_q;
  logic [3:0]      tx_bit_q;
  logic [DivW-1:0] tx_cnt_q;
  logic            tx_busy_q, tx_start;
  logic [7:0]      tx_byte;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tx_sh_q <= '1; tx_bit_q <= '0; tx_cnt_q <= '0; tx_busy_q <= 1'b0;
    end else if (tx_start) begin
      tx_sh_q   <= {1'b1, tx_byte, 1'b0};
      tx_bit_q  <= '0;
      tx_cnt_q  <= DivW'(ClkDiv - 1);
      tx_busy_q <= 1'b1;
    end else if (tx_busy_q) begin
      if (tx_cnt_q != '0) begin
        tx_cnt_q <= tx_cnt_q - 1'b1;
      end else begin
        tx_cnt_q <= DivW'(ClkDiv - 1);
        tx_sh_q  <= {1'b1, tx_sh_q[9:1]};
        tx_bit_q <= tx_bit_q + 4'd1;
        if (tx_bit_q == 4'd9) tx_busy_q <= 1'b0;
      end
    end
  end
  assign uart_tx_o = tx_sh_q[0];

  // ---- command engine ----------------------------------------------------------------------
  typedef enum logic [2:0] {
    StCmd, StArgs, StBus, StWait, StReply
  } state_e;

  state_e      st_q, st_d;
  logic        we_q, we_d;
  logic [3:0]  n_q, n_d;               // argument bytes still to come / reply bytes left
  logic [63:0] args_q, args_d;         // A (63:32), D (31:0)
  logic [39:0] reply_q, reply_d;       // bytes to send, first in 39:32
  logic [7:0]  tmo_q, tmo_d;

  logic [31:0] addr;
  logic        addr_ok;
  assign addr    = we_q ? args_q[63:32] : args_q[31:0];
  assign addr_ok = (addr[31:Aw] == '0) && (addr[1:0] == 2'b00);

  always_comb begin
    st_d = st_q; we_d = we_q; n_d = n_q; args_d = args_q; reply_d = reply_q; tmo_d = tmo_q;
    csr_req_o   = 1'b0;
    csr_we_o    = we_q;
    csr_addr_o  = addr[Aw-1:0];
    csr_wdata_o = args_q[31:0];
    tx_start    = 1'b0;
    tx_byte     = reply_q[39:32];
    unique case (st_q)
      StCmd: if (rx_valid_q) begin
        if (rx_sh_q == 8'h77) begin            // 'w'
          we_d = 1'b1; n_d = 4'd8; st_d = StArgs;
        end else if (rx_sh_q == 8'h72) begin   // 'r'
          we_d = 1'b0; n_d = 4'd4; st_d = StArgs;
        end else begin
          reply_d = {8'h3f, 32'h0}; n_d = 4'd1; st_d = StReply;
        end
      end
      StArgs: if (rx_valid_q) begin
        args_d = {args_q[55:0], rx_sh_q};
        n_d    = n_q - 4'd1;
        if (n_q == 4'd1) st_d = StBus;
      end
      StBus: begin
        if (!addr_ok) begin
          reply_d = {8'h61, 32'h0}; n_d = 4'd1; st_d = StReply;            // 'a'
        end else begin
          csr_req_o = 1'b1;
          if (we_q) begin
            reply_d = {8'h6b, 32'h0}; n_d = 4'd1; st_d = StReply;          // 'k'
          end else begin
            tmo_d = 8'(BusTimeout); st_d = StWait;
          end
        end
      end
      StWait: begin
        if (csr_rvalid_i) begin
          reply_d = {8'h64, csr_rdata_i}; n_d = 4'd5; st_d = StReply;      // 'd' + data
        end else if (tmo_q == '0) begin
          reply_d = {8'h65, 32'h0}; n_d = 4'd1; st_d = StReply;            // 'e'
        end else begin
          tmo_d = tmo_q - 8'd1;
        end
      end
      StReply: if (!tx_busy_q) begin   // tx_busy_q is set the cycle after tx_start
        tx_start = 1'b1;
        reply_d  = {reply_q[31:0], 8'h0};
        n_d      = n_q - 4'd1;
        if (n_q == 4'd1) st_d = StCmd;
      end
      default: st_d = StCmd;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= StCmd; we_q <= 1'b0; n_q <= '0; args_q <= '0; reply_q <= '0; tmo_q <= '0;
    end else begin
      st_q <= st_d; we_q <= we_d; n_q <= n_d; args_q <= args_d; reply_q <= reply_d;
      tmo_q <= tmo_d;
    end
  end

endmodule
