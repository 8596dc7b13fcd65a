/**
 * GMII transmit MAC, 1 Gb/s (8 bits at 125 MHz)
 *
 * Takes a frame without FCS as a byte stream and sends preamble (7 x 0x55), SFD, the frame,
 * zero padding up to 60 bytes, the FCS (CRC-32), then at least IfgBytes idle byte times
 * before the next preamble. A frame whose tlast carries tuser = 1 goes out with an inverted
 * FCS so that every receiver drops it.
 *
 * Once a frame has started the stream must deliver a byte every cycle (feed it from a
 * store-and-forward FIFO). If it runs dry the MAC sends one byte with TX_ER, ends the frame,
 * counts an underrun and discards the rest of that frame from the stream.
 */
module ebpf_net_gmii_tx
  import ebpf_net_pkg::*;
#(
  parameter int unsigned IfgBytes = EthIfgBytes   // idle byte times between frames (>= 1)
) (
  input  logic       clk_i,               // GMII GTX_CLK, 125 MHz
  input  logic       rst_ni,

  // Frames without FCS <- from the TX arbiter
  input  logic [7:0] s_axis_tdata_i,
  input  logic       s_axis_tvalid_i,
  output logic       s_axis_tready_o,
  input  logic       s_axis_tlast_i,
  input  logic       s_axis_tuser_i,      // on tlast: send with a bad FCS

  // GMII to the PHY
  output logic [7:0] gmii_txd_o,
  output logic       gmii_tx_en_o,
  output logic       gmii_tx_er_o,

  // Counter pulses
  output logic       stat_frame_o,        // a frame (good or not) has been sent
  output logic       stat_underrun_o      // the stream ran dry inside a frame
);

  if (IfgBytes < 1 || IfgBytes > 255) begin : gen_ifg_check
    $error("ebpf_net_gmii_tx: IfgBytes (%0d) must be in [1, 255] (instance %m)", IfgBytes);
  end

  typedef enum logic [2:0] {
    StIdle,
    StPreamble,
    StData,
    StPad,
    StFcs,
    StIfg,
    StDrain
  } state_e;

  state_e      state_q, state_d;
  logic [7:0]  cnt_q, cnt_d;          // preamble, FCS and gap byte counter
  logic [5:0]  len_q, len_d;          // frame bytes sent, saturating at 60
  logic [31:0] crc_q, crc_d;
  logic [31:0] fcs_q, fcs_d;          // FCS being sent, low byte first
  logic        bad_q, bad_d;

  logic [7:0]  txd_d;
  logic        en_d, er_d, frame_d, underrun_d;

  always_comb begin
    state_d         = state_q;
    cnt_d           = cnt_q;
    len_d           = len_q;
    crc_d           = crc_q;
    fcs_d           = fcs_q;
    bad_d           = bad_q;
    txd_d           = 8'h00;
    en_d            = 1'b0;
    er_d            = 1'b0;
    frame_d         = 1'b0;
    underrun_d      = 1'b0;
    s_axis_tready_o = 1'b0;

    unique case (state_q)
      StIdle: begin
        if (s_axis_tvalid_i) begin
          txd_d   = EthPreamble;
          en_d    = 1'b1;
          cnt_d   = 8'd1;
          state_d = StPreamble;
        end
      end

      StPreamble: begin
        en_d = 1'b1;
        if (cnt_q < 8'(EthPreambleLen)) begin
          txd_d = EthPreamble;
          cnt_d = cnt_q + 8'd1;
        end else begin
          txd_d   = EthSfd;
          len_d   = '0;
          crc_d   = Crc32Init;
          bad_d   = 1'b0;
          state_d = StData;
        end
      end

      StData: begin
        s_axis_tready_o = 1'b1;
        en_d            = 1'b1;
        if (s_axis_tvalid_i) begin
          txd_d = s_axis_tdata_i;
          crc_d = crc32_byte(crc_q, s_axis_tdata_i);
          len_d = (len_q < 6'(EthMinPayload)) ? len_q + 6'd1 : len_q;
          if (s_axis_tlast_i) begin
            bad_d = s_axis_tuser_i;
            if (len_d < 6'(EthMinPayload)) begin
              state_d = StPad;
            end else begin
              fcs_d   = s_axis_tuser_i ? crc_d : ~crc_d;
              cnt_d   = '0;
              state_d = StFcs;
            end
          end
        end else begin
          // Underrun: one byte with TX_ER ends the frame; the rest of it is discarded.
          er_d       = 1'b1;
          underrun_d = 1'b1;
          frame_d    = 1'b1;
          state_d    = StDrain;
        end
      end

      StPad: begin
        en_d  = 1'b1;
        txd_d = 8'h00;
        crc_d = crc32_byte(crc_q, 8'h00);
        len_d = len_q + 6'd1;
        if (len_d == 6'(EthMinPayload)) begin
          fcs_d   = bad_q ? crc_d : ~crc_d;
          cnt_d   = '0;
          state_d = StFcs;
        end
      end

      StFcs: begin
        en_d  = 1'b1;
        txd_d = fcs_q[7:0];
        fcs_d = {8'h00, fcs_q[31:8]};
        cnt_d = cnt_q + 8'd1;
        if (cnt_q == 8'd3) begin
          frame_d = 1'b1;
          cnt_d   = '0;
          state_d = StIfg;
        end
      end

      StIfg: begin
        cnt_d = cnt_q + 8'd1;
        if (cnt_q == 8'(IfgBytes - 1)) begin
          state_d = StIdle;
        end
      end

      StDrain: begin
        s_axis_tready_o = 1'b1;
        if (s_axis_tvalid_i && s_axis_tlast_i) begin
          cnt_d   = '0;
          state_d = StIfg;
        end
      end

      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q         <= StIdle;
      cnt_q           <= '0;
      len_q           <= '0;
      crc_q           <= Crc32Init;
      fcs_q           <= '0;
      bad_q           <= 1'b0;
      gmii_txd_o      <= '0;
      gmii_tx_en_o    <= 1'b0;
      gmii_tx_er_o    <= 1'b0;
      stat_frame_o    <= 1'b0;
      stat_underrun_o <= 1'b0;
    end else begin
      state_q         <= state_d;
      cnt_q           <= cnt_d;
      len_q           <= len_d;
      crc_q           <= crc_d;
      fcs_q           <= fcs_d;
      bad_q           <= bad_d;
      gmii_txd_o      <= txd_d;
      gmii_tx_en_o    <= en_d;
      gmii_tx_er_o    <= er_d;
      stat_frame_o    <= frame_d;
      stat_underrun_o <= underrun_d;
    end
  end

endmodule
