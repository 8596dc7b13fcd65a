/**
 * GMII receive MAC, 1 Gb/s (8 bits at 125 MHz)
 *
 * Strips the preamble and SFD, checks the FCS (CRC-32) and the frame length, and gives the
 * frame without its FCS as a byte stream. A MAC cannot wait, so the stream has no tready:
 * whatever takes it must accept a byte every cycle. The last byte carries tuser = 1 when
 * the frame is bad; the frame is then to be discarded (ebpf_prim_fifo_async does so).
 *
 * Every frame that got past its SFD lands in exactly one counter pulse: giant (longer than
 * MaxFrameBytes; the stream is cut there, the rest is ignored), runt (shorter than 64 bytes),
 * PHY error (RX_ER while RX_DV, or a preamble that is neither 0x55 nor the SFD), bad FCS, or
 * good. A frame of fewer than 5 bytes puts nothing on the stream (it is only counted).
 */
module ebpf_net_gmii_rx
  import ebpf_net_pkg::*;
#(
  parameter int unsigned MaxFrameBytes = EthMaxFrame   // largest frame, bytes with FCS (>= 64)
) (
  input  logic       clk_i,               // GMII RX_CLK, 125 MHz
  input  logic       rst_ni,

  // GMII from the PHY
  input  logic [7:0] gmii_rxd_i,
  input  logic       gmii_rx_dv_i,
  input  logic       gmii_rx_er_i,

  // Frames without FCS (no back-pressure) -> to the steering / CDC FIFOs
  output logic [7:0] m_axis_tdata_o,
  output logic       m_axis_tvalid_o,
  output logic       m_axis_tlast_o,
  output logic       m_axis_tuser_o,     // on tlast: the frame is bad

  // Counter pulses, one per frame
  output logic       stat_good_o,
  output logic       stat_bad_fcs_o,
  output logic       stat_runt_o,
  output logic       stat_giant_o,
  output logic       stat_phy_err_o
);

  if (MaxFrameBytes < EthMinFrame || MaxFrameBytes > 16383) begin : gen_max_check
    $error("ebpf_net_gmii_rx: MaxFrameBytes (%0d) must be in [64, 16383] (instance %m)",
           MaxFrameBytes);
  end

  typedef enum logic [1:0] {
    StIdle,
    StPreamble,
    StData,
    StDiscard
  } state_e;

  // Inputs are registered once (in the I/O cells where the tool allows).
  logic [7:0] rxd_q;
  logic       dv_q, er_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rxd_q <= '0;
      dv_q  <= 1'b0;
      er_q  <= 1'b0;
    end else begin
      rxd_q <= gmii_rxd_i;
      dv_q  <= gmii_rx_dv_i;
      er_q  <= gmii_rx_er_i;
    end
  end

  state_e      state_q, state_d;
  logic [13:0] len_q, len_d;          // bytes after the SFD, FCS included
  logic [31:0] crc_q, crc_d;
  logic        err_q, err_d;          // RX_ER seen in this frame
  logic [4:0][7:0] dly_q, dly_d;      // the last five bytes: dly_q[4] is the oldest

  logic [7:0] out_data_d;
  logic       out_valid_d, out_last_d, out_user_d;
  logic       good_d, bad_fcs_d, runt_d, giant_d, phy_err_d;

  always_comb begin
    state_d     = state_q;
    len_d       = len_q;
    crc_d       = crc_q;
    err_d       = err_q;
    dly_d       = dly_q;
    out_data_d  = dly_q[4];
    out_valid_d = 1'b0;
    out_last_d  = 1'b0;
    out_user_d  = 1'b0;
    good_d      = 1'b0;
    bad_fcs_d   = 1'b0;
    runt_d      = 1'b0;
    giant_d     = 1'b0;
    phy_err_d   = 1'b0;

    unique case (state_q)
      StIdle, StPreamble: begin
        len_d = '0;
        crc_d = Crc32Init;
        err_d = 1'b0;
        if (!dv_q) begin
          state_d = StIdle;
        end else if (rxd_q == EthSfd) begin
          state_d = StData;
        end else if (rxd_q == EthPreamble) begin
          state_d = StPreamble;
        end else begin
          state_d   = StDiscard;
          phy_err_d = 1'b1;
        end
      end

      StData: begin
        if (dv_q) begin
          len_d = len_q + 14'd1;
          crc_d = crc32_byte(crc_q, rxd_q);
          err_d = err_q || er_q;
          dly_d = {dly_q[3:0], rxd_q};
          // A byte leaves once five newer ones are held (four FCS bytes plus one so that
          // the last data byte can still be marked tlast when RX_DV falls).
          out_valid_d = len_q >= 14'd5;
          if (32'(len_q) + 1 > MaxFrameBytes) begin
            out_last_d = 1'b1;
            out_user_d = 1'b1;
            giant_d    = 1'b1;
            state_d    = StDiscard;
          end
        end else begin
          state_d     = StIdle;
          out_valid_d = len_q >= 14'd5;
          out_last_d  = 1'b1;
          if (len_q < 14'(EthMinFrame)) begin
            runt_d = 1'b1;
          end else if (err_q) begin
            phy_err_d = 1'b1;
          end else if (crc_q != Crc32Residue) begin
            bad_fcs_d = 1'b1;
          end else begin
            good_d = 1'b1;
          end
          out_user_d = !good_d;
        end
      end

      StDiscard: begin
        if (!dv_q) begin
          state_d = StIdle;
        end
      end

      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q         <= StIdle;
      len_q           <= '0;
      crc_q           <= Crc32Init;
      err_q           <= 1'b0;
      dly_q           <= '0;
      m_axis_tdata_o  <= '0;
      m_axis_tvalid_o <= 1'b0;
      m_axis_tlast_o  <= 1'b0;
      m_axis_tuser_o  <= 1'b0;
      stat_good_o     <= 1'b0;
      stat_bad_fcs_o  <= 1'b0;
      stat_runt_o     <= 1'b0;
      stat_giant_o    <= 1'b0;
      stat_phy_err_o  <= 1'b0;
    end else begin
      state_q         <= state_d;
      len_q           <= len_d;
      crc_q           <= crc_d;
      err_q           <= err_d;
      dly_q           <= dly_d;
      m_axis_tdata_o  <= out_data_d;
      m_axis_tvalid_o <= out_valid_d;
      m_axis_tlast_o  <= out_last_d;
      m_axis_tuser_o  <= out_user_d;
      stat_good_o     <= good_d;
      stat_bad_fcs_o  <= bad_fcs_d;
      stat_runt_o     <= runt_d;
      stat_giant_o    <= giant_d;
      stat_phy_err_o  <= phy_err_d;
    end
  end

endmodule
