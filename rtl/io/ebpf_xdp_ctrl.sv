/**
 * XDP packet sequencer, verdict steering and the packet I/O register page
 *
 * For each frame ebpf_axis_rx receives it drives ebpf_top over the CSR bus as a bus master:
 * from the frame's first beat on it writes DATA_META = DATA = headroom, IFINDEX = port + 1,
 * RX_QUEUE = 0, CONFIG.HAS_CTX = 1 and r1 = ctx; once the whole frame is in the buffer,
 * DATA_END = headroom + length, then START; waits
 * for done_o; takes the run's outcome (fault, action, the final DATA/DATA_END and the redirect
 * state: ebpf_top's verdict_o, the values of STATUS, R0, DATA, DATA_END and REDIR_*) in that
 * cycle; and steers:
 *
 *   ABORTED, DROP -> discarded          PASS -> HostPort         TX -> the ingress port
 *   REDIRECT      -> port ifindex - 1 when REDIR_STATUS.VALID and 1 <= ifindex <= NumPorts,
 *                    else discarded and counted (IO_CNT_REDIR_BAD)
 *
 * A sent frame is [DATA, DATA_END) of the buffer, handed to ebpf_axis_tx. The action is the
 * contract's (contracts.md 3): r0 when it is 0..4 and nothing faulted, else ABORTED; r0 > 4
 * counts as fault code invalid_action.
 *
 * ebpf_top has two packet buffers. Egress reads the one of the frame it sends (pkt_eg_bank_o)
 * while the sequencer goes on: a frame that arrives meanwhile makes the other buffer current
 * (pkt_bank_o: ingress, the program and the host's packet window), and is handed to egress
 * once the one before it has left.
 *
 * The master only writes. Its request is granted (m_gnt_i) in cycles the host does not use
 * the bus; a request not granted is held and retried. The outcome comes on a port of its own,
 * not by register reads, which took 3 to 7 cycles a frame on the shared bus.
 *
 * The register page (ebpf_io_pkg) is a CSR slave of its own: one request per cycle, reads
 * answer the next cycle.
 */
module ebpf_xdp_ctrl
  import ebpf_io_pkg::*;
#(
  parameter int unsigned NumPorts      = 4,
  parameter int unsigned PortW         = 2,
  parameter int unsigned HostPort      = NumPorts - 1,
  parameter int unsigned MaxFrameBytes = 9018,
  parameter int unsigned HeadroomBytes = 256,
  parameter int unsigned LenW          = 16,
  parameter int unsigned OffW          = 16,
  parameter int unsigned CntW          = 32     // counter width, 1..32 (counters wrap)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // Ingress
  output logic              rx_en_o,
  input  logic              rx_waiting_i,     // a beat waits at the ingress stream
  input  logic              rx_in_frame_i,
  input  logic              rx_sof_i,
  input  logic              rx_frame_valid_i,
  input  logic [LenW-1:0]   rx_frame_len_i,
  input  logic [PortW-1:0]  rx_frame_port_i,
  output logic              rx_frame_ack_o,
  input  logic              rx_eof_i,
  input  logic [PortW-1:0]  rx_eof_port_i,
  input  logic              rx_drop_oversize_i,
  input  logic              rx_drop_malformed_i,

  // Egress
  output logic              tx_start_o,
  output logic [OffW-1:0]   tx_start_off_o,
  output logic [OffW-1:0]   tx_end_off_o,
  output logic [PortW-1:0]  tx_port_o,
  input  logic              tx_busy_i,
  input  logic              tx_done_i,
  // Which of ebpf_top's two packet buffers ingress, the core and the host's packet window
  // use (the one of the latest frame), and which one egress reads. When a frame arrives
  // while the frame before it is still going out of the current buffer, the current buffer
  // changes first, so the two overlap.
  output logic              pkt_bank_o,
  output logic              pkt_eg_bank_o,

  // CSR master into ebpf_top
  output logic              m_req_o,
  output logic [ebpf_csr_pkg::CsrAw-1:0] m_addr_o,
  output logic [31:0]       m_wdata_o,
  input  logic              m_gnt_i,
  input  logic              core_busy_i,       // ebpf_top busy_o
  input  logic              core_done_i,       // ebpf_top done_o
  input  ebpf_csr_pkg::run_verdict_t core_verdict_i,  // ebpf_top verdict_o, valid with done

  // Register page (host)
  input  logic              s_req_i,
  input  logic              s_we_i,
  input  logic [11:0]       s_addr_i,
  input  logic [31:0]       s_wdata_i,
  output logic              s_rvalid_o,
  output logic [31:0]       s_rdata_o,
  input  logic              host_drop_i,       // pulse: the arbiter refused a host access

  output logic              enabled_o,
  output logic              busy_o             // a frame is in flight (rx, run or tx)
);

  import ebpf_csr_pkg::*;

  if (NumPorts < 1 || NumPorts > IoMaxPorts || HostPort >= NumPorts) begin : gen_port_check
    $error("ebpf_xdp_ctrl: NumPorts (%0d) / HostPort (%0d) out of range (instance %m)",
           NumPorts, HostPort);
  end
  if (CntW < 1 || CntW > 32) begin : gen_cnt_check
    $error("ebpf_xdp_ctrl: CntW (%0d) must be in [1, 32] (instance %m)", CntW);
  end

  localparam int unsigned NumWr = 9;   // configuration writes, START last

  typedef enum logic [2:0] {
    SQ_IDLE  = 3'd0,
    SQ_WR    = 3'd1,   // configuration writes and START
    SQ_WAIT  = 3'd2,   // program running; its outcome is taken when it is done
    SQ_STEER = 3'd4    // (3 was the verdict reads, 5 the wait for egress: IO_STATUS keeps
                       // the numbers)
  } sq_state_e;

  sq_state_e         state_q;
  logic [3:0]        step_q;          // write index being issued
  logic [LenW-1:0]   len_q;
  logic [PortW-1:0]  in_port_q;
  logic              enable_q;

  // The run's outcome, taken when it is done.
  logic [7:0]        fault_q;
  logic [2:0]        action_q;
  logic              bad_action_q, redir_valid_q;
  logic [31:0]       data_q, data_end_q, redir_if_q;

  ///////////////////////
  // CSR master steps //
  ///////////////////////

  logic [CsrAw-1:0] wr_addr;
  logic [31:0]      wr_data;

  always_comb begin
    wr_addr = CSR_CTRL;
    wr_data = 32'd0;
    // Steps 0-6 need only the port (known from the first beat) and run while the frame is
    // still coming in; DATA_END and START wait for the whole frame.
    unique case (step_q)
      4'd0: begin wr_addr = CSR_DATA_META; wr_data = 32'(HeadroomBytes); end
      4'd1: begin wr_addr = CSR_DATA;      wr_data = 32'(HeadroomBytes); end
      4'd2: begin wr_addr = CSR_IFINDEX;   wr_data = 32'(rx_frame_port_i) + 32'd1; end
      4'd3: begin wr_addr = CSR_RX_QUEUE;  wr_data = 32'd0; end
      4'd4: begin wr_addr = CSR_CONFIG;    wr_data = 32'd1 << ConfigHasCtx; end
      4'd5: begin wr_addr = CSR_REGS + CsrAw'(8);  wr_data = 32'd0; end   // r1 = ctx
      4'd6: begin wr_addr = CSR_REGS + CsrAw'(12); wr_data = 32'd2; end
      4'd7: begin wr_addr = CSR_DATA_END;  wr_data = 32'(HeadroomBytes) + 32'(rx_frame_len_i); end
      default: begin wr_addr = CSR_CTRL;   wr_data = 32'd1 << CtrlStart; end
    endcase
  end

  logic wr_issue;
  assign wr_issue  = state_q == SQ_WR && (step_q < 4'd7 || rx_frame_valid_i);
  assign m_req_o   = wr_issue;
  assign m_addr_o  = wr_addr;
  assign m_wdata_o = wr_data;

  //////////////
  // Verdict //
  //////////////

  logic             empty, redir_ok;
  logic [31:0]      redir_port;
  logic [PortW-1:0] out_port;
  logic             send;

  assign empty      = data_end_q <= data_q;
  assign redir_port = redir_if_q - 32'd1;
  assign redir_ok   = redir_valid_q && redir_if_q != 32'd0 && redir_port < NumPorts;

  always_comb begin
    send     = 1'b0;
    out_port = in_port_q;
    unique case (action_q)
      3'd2: begin send = 1'b1; out_port = PortW'(HostPort); end     // PASS
      3'd3: begin send = 1'b1; out_port = in_port_q; end            // TX
      3'd4: begin send = redir_ok; out_port = PortW'(redir_port); end  // REDIRECT
      default: ;                                                     // ABORTED, DROP
    endcase
    if (empty) begin
      send = 1'b0;
    end
  end

  // A frame to send waits in STEER while the one before it is still going out of the other
  // buffer.
  logic tx_go, steer_done;
  assign tx_go          = state_q == SQ_STEER && send && !tx_busy_i;
  assign steer_done     = state_q == SQ_STEER && (!send || !tx_busy_i);
  assign tx_start_o     = tx_go;
  assign tx_start_off_o = OffW'(data_q);
  assign tx_end_off_o   = OffW'(data_end_q);
  assign tx_port_o      = out_port;

  ////////////////////
  // State machine //
  ////////////////////

  logic [31:0] lat_q;          // cycles since the current frame's first beat
  logic [31:0] tx_lat_q;       // the same for the frame going out
  logic        bank_q, tx_bank_q;
  logic        bank_held;      // egress is reading the current buffer (the host's window
                               // keeps showing it until another frame comes)
  logic [PortW-1:0] tx_port_q; // the port of the frame going out
  logic [31:0] last_verdict_q, last_out_q, last_info_q, last_len_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= SQ_IDLE;
      step_q     <= '0;
      len_q      <= '0;
      in_port_q  <= '0;
      fault_q    <= '0;
      action_q   <= '0;
      bad_action_q  <= 1'b0;
      redir_valid_q <= 1'b0;
      data_q     <= '0;
      data_end_q <= '0;
      redir_if_q <= '0;
      lat_q      <= '0;
      tx_lat_q   <= '0;
      bank_q     <= 1'b0;
      tx_bank_q  <= 1'b0;
      tx_port_q  <= '0;
      last_verdict_q <= '0;
      last_out_q     <= '0;
      last_info_q    <= '0;
      last_len_q     <= '0;
    end else begin
      lat_q     <= rx_sof_i ? 32'd1 : (lat_q == '1 ? lat_q : lat_q + 32'd1);
      tx_lat_q  <= tx_go ? lat_q + 32'd1 : (tx_lat_q == '1 ? tx_lat_q : tx_lat_q + 32'd1);
      if (tx_done_i) begin
        last_out_q <= tx_lat_q;
      end
      unique case (state_q)
        SQ_IDLE: begin
          if (bank_held && rx_waiting_i) begin
            bank_q <= !bank_q;   // rx_en_o stays low this cycle
          end
          // A frame starts (rx_en_o keeps frames out while the core runs for the host; the
          // check here keeps a frame from ever being sequenced into a run it did not start).
          if ((rx_sof_i || rx_frame_valid_i) && !core_busy_i) begin
            state_q <= SQ_WR;
            step_q  <= '0;
          end
        end
        SQ_WR: begin
          if (wr_issue && m_gnt_i) begin
            step_q <= step_q + 4'd1;
            if (32'(step_q) == NumWr - 1) begin
              state_q   <= SQ_WAIT;
              len_q     <= rx_frame_len_i;
              in_port_q <= rx_frame_port_i;
            end
          end
          // The frame was dropped by ingress (oversize, malformed): nothing to run.
          if (!rx_frame_valid_i && rx_eof_i && (rx_drop_oversize_i || rx_drop_malformed_i)) begin
            state_q <= SQ_IDLE;
          end
        end
        SQ_WAIT: begin
          if (core_done_i && !core_busy_i) begin
            state_q       <= SQ_STEER;
            fault_q       <= core_verdict_i.fault;
            action_q      <= core_verdict_i.action;
            bad_action_q  <= core_verdict_i.bad_action;
            data_q        <= core_verdict_i.data;
            data_end_q    <= core_verdict_i.data_end;
            redir_valid_q <= core_verdict_i.redir_valid;
            redir_if_q    <= core_verdict_i.redir_ifindex;
          end
        end
        SQ_STEER: begin
          if (steer_done) begin
            last_verdict_q <= lat_q;
            last_len_q     <= {OffW'(send ? data_end_q - data_q : 32'd0), 16'(len_q)};
            last_info_q    <= 32'(action_q) | (32'(send) << IoInfoSent) |
                              (32'(fault_q) << IoInfoFaultLsb) |
                              (32'(in_port_q) << IoInfoInPortLsb) |
                              (32'(out_port) << IoInfoOutPortLsb);
          end
          if (tx_go) begin
            // Egress reads this buffer now; a frame arriving meanwhile goes into the other.
            tx_bank_q <= bank_q;
            tx_port_q <= out_port;
            state_q <= SQ_IDLE;
          end else if (!send) begin
            // A discarded frame frees the buffer now: the next may have started (rx_en_o).
            last_out_q <= lat_q;
            state_q    <= rx_sof_i ? SQ_WR : SQ_IDLE;
            step_q     <= '0;
          end
        end
        default: state_q <= SQ_IDLE;
      endcase
    end
  end

  assign rx_frame_ack_o = wr_issue && m_gnt_i && 32'(step_q) == NumWr - 1;   // START
  // A new frame starts only while no frame is being received, run or steered (or the frame
  // being steered is discarded: its steering cycle no longer needs the buffer), egress is not
  // reading the current buffer, and the core is not running a program the host started.
  assign bank_held = tx_busy_i && tx_bank_q == bank_q;
  assign rx_en_o   = enable_q && (state_q == SQ_IDLE || (state_q == SQ_STEER && !send)) &&
                     !rx_frame_valid_i && !core_busy_i && !bank_held;
  assign busy_o    = state_q != SQ_IDLE || rx_in_frame_i || rx_frame_valid_i || tx_busy_i;
  assign pkt_bank_o    = bank_q;
  assign pkt_eg_bank_o = tx_bank_q;
  assign enabled_o = enable_q;

  /////////////////
  // Counters //
  /////////////////

  logic clear;
  assign clear = s_req_i && s_we_i && s_addr_i == IO_CTRL && s_wdata_i[IoCtrlClear];


  // The action and fault counters are tables (one increment per frame, at most one entry
  // each): LUT RAM with a port for the increment and one for the host, emptied by a clear.
  logic [1:0][CntW-1:0]           cnt_action_rd, cnt_fault_rd;   // [0] increment, [1] host
  logic                           cnt_action_we, cnt_fault_we;
  logic [CntW-1:0]                cnt_over_q, cnt_bad_q, cnt_redir_q, cnt_empty_q, cnt_host_q;
  logic [NumPorts-1:0][CntW-1:0]  cnt_rx_q, cnt_tx_q;

  logic [7:0] fault_idx;
  assign fault_idx = bad_action_q ? 8'(ebpf_pkg::FAULT_INVALID_ACTION) : fault_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      enable_q     <= 1'b0;
      cnt_over_q   <= '0;
      cnt_bad_q    <= '0;
      cnt_redir_q  <= '0;
      cnt_empty_q  <= '0;
      cnt_host_q   <= '0;
      cnt_rx_q     <= '0;
      cnt_tx_q     <= '0;
    end else begin
      if (s_req_i && s_we_i && s_addr_i == IO_CTRL) begin
        enable_q <= s_wdata_i[IoCtrlEnable];
      end
      if (clear) begin
        cnt_over_q   <= '0;
        cnt_bad_q    <= '0;
        cnt_redir_q  <= '0;
        cnt_empty_q  <= '0;
        cnt_host_q   <= '0;
        cnt_rx_q     <= '0;
        cnt_tx_q     <= '0;
      end else begin
        if (steer_done) begin
          if (action_q == 3'd4 && !redir_ok) begin
            cnt_redir_q <= cnt_redir_q + CntW'(1);
          end
          if (empty && (action_q == 3'd2 || action_q == 3'd3 || (action_q == 3'd4 && redir_ok))) begin
            cnt_empty_q <= cnt_empty_q + CntW'(1);
          end
        end
        if (rx_drop_oversize_i) cnt_over_q <= cnt_over_q + CntW'(1);
        if (rx_drop_malformed_i) cnt_bad_q <= cnt_bad_q + CntW'(1);
        if (host_drop_i) cnt_host_q <= cnt_host_q + CntW'(1);
        for (int unsigned p = 0; p < NumPorts; p++) begin
          if (rx_eof_i && 32'(rx_eof_port_i) == p) begin
            cnt_rx_q[p] <= cnt_rx_q[p] + CntW'(1);
          end
          if (tx_done_i && 32'(tx_port_q) == p) begin
            cnt_tx_q[p] <= cnt_tx_q[p] + CntW'(1);
          end
        end
      end
    end
  end

  ///////////////////
  // Register read //
  ///////////////////

  logic [31:0] rdata_d, rdata_q;
  logic        rvalid_q;
  logic [5:0]  widx;
  assign widx = s_addr_i[7:2];

  assign cnt_action_we = steer_done && !clear;
  assign cnt_fault_we  = steer_done && !clear && fault_idx != 8'd0 && 32'(fault_idx) < IoNumFaults;

  ebpf_prim_lutram_flagged #(.Width(CntW), .Depth(5), .NumRead(2)) u_cnt_action (
    .clk_i, .rst_ni,
    .clear_i(clear),
    .we_i   (cnt_action_we),
    .waddr_i(action_q),
    .wdata_i(cnt_action_rd[0] + CntW'(1)),
    .raddr_i({widx[2:0], action_q}),
    .rdata_o(cnt_action_rd)
  );

  ebpf_prim_lutram_flagged #(.Width(CntW), .Depth(IoNumFaults), .NumRead(2)) u_cnt_fault (
    .clk_i, .rst_ni,
    .clear_i(clear),
    .we_i   (cnt_fault_we),
    .waddr_i(fault_idx[3:0]),
    .wdata_i(cnt_fault_rd[0] + CntW'(1)),
    .raddr_i({widx[3:0], fault_idx[3:0]}),
    .rdata_o(cnt_fault_rd)
  );

  always_comb begin
    rdata_d = 32'd0;
    unique case (s_addr_i[11:8])
      4'h0: begin
        unique case (s_addr_i)
          IO_ID:           rdata_d = IoId;
          IO_CTRL:         rdata_d = 32'(enable_q) << IoCtrlEnable;
          IO_STATUS:       rdata_d = (32'(busy_o) << IoStatusBusy) |
                                     (32'(rx_in_frame_i) << IoStatusRxFrame) |
                                     (32'(tx_busy_i) << IoStatusTxBusy) |
                                     (32'(enable_q) << IoStatusEnabled) |
                                     (32'(state_q) << IoStatusStateLsb);
          IO_PARAMS:       rdata_d = 32'(NumPorts) | (32'(HostPort) << 8) |
                                     (32'(MaxFrameBytes) << 16);
          IO_LAST_VERDICT: rdata_d = last_verdict_q;
          IO_LAST_OUT:     rdata_d = last_out_q;
          IO_LAST_INFO:    rdata_d = last_info_q;
          IO_LAST_LEN:     rdata_d = last_len_q;
          default:         rdata_d = 32'd0;
        endcase
      end
      4'h1: begin
        if (widx < 6'd5) begin
          rdata_d = 32'(cnt_action_rd[1]);
        end else if (widx >= 6'h10 && widx < 6'h20) begin
          rdata_d = 32'(cnt_fault_rd[1]);
        end else begin
          unique case (s_addr_i)
            IO_CNT_OVERSIZE:  rdata_d = 32'(cnt_over_q);
            IO_CNT_MALFORMED: rdata_d = 32'(cnt_bad_q);
            IO_CNT_REDIR_BAD: rdata_d = 32'(cnt_redir_q);
            IO_CNT_EMPTY:     rdata_d = 32'(cnt_empty_q);
            IO_CNT_HOST_DROP: rdata_d = 32'(cnt_host_q);
            default:          rdata_d = 32'd0;
          endcase
        end
      end
      4'h2: if (32'(widx) < NumPorts) rdata_d = 32'(cnt_rx_q[widx]);
      4'h3: if (32'(widx) < NumPorts) rdata_d = 32'(cnt_tx_q[widx]);
      default: rdata_d = 32'd0;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q <= 1'b0;
      rdata_q  <= '0;
    end else begin
      rvalid_q <= s_req_i && !s_we_i;
      if (s_req_i && !s_we_i) begin
        rdata_q <= rdata_d;
      end
    end
  end

  assign s_rvalid_o = rvalid_q;
  assign s_rdata_o  = rdata_q;

  logic unused_ctrl;
  assign unused_ctrl = ^{s_wdata_i[31:2], fault_idx[7:4], redir_port[31:PortW]};

endmodule
