/**
 * Packet I/O register page (documented in docs/packet_io.md)
 *
 * ebpf_xdp_top answers host CSR accesses inside this 4 KiB page itself (ebpf_xdp_ctrl);
 * every other address goes to ebpf_top (ebpf_csr_pkg). All registers are 32 bits.
 */
package ebpf_io_pkg;

  /* verilator lint_off UNUSEDPARAM */

  localparam int unsigned          IoCsrAw       = 20;          // = ebpf_csr_pkg::CsrAw
  localparam logic [IoCsrAw-1:0]   IoCsrBase     = 20'h0_f000;  // the page
  localparam int unsigned          IoCsrPageBits = 12;          // 4 KiB

  localparam logic [31:0] IoId = 32'h5844_494f;                 // "XDIO"

  // Offsets inside the page.
  localparam logic [11:0] IO_ID            = 12'h000;   // RO  IoId
  localparam logic [11:0] IO_CTRL          = 12'h004;   // RW  bit 0 ENABLE; W1 bit 1 CLEAR
  localparam logic [11:0] IO_STATUS        = 12'h008;   // RO  see IoStatus* bits
  localparam logic [11:0] IO_PARAMS        = 12'h00c;   // RO  NumPorts, HostPort, MaxFrameBytes
  localparam logic [11:0] IO_LAST_VERDICT  = 12'h010;   // RO  cycles first beat in -> verdict
  localparam logic [11:0] IO_LAST_OUT      = 12'h014;   // RO  cycles first beat in -> done
  localparam logic [11:0] IO_LAST_INFO     = 12'h018;   // RO  see IoInfo* fields
  localparam logic [11:0] IO_LAST_LEN      = 12'h01c;   // RO  [15:0] bytes in, [31:16] out
  localparam logic [11:0] IO_CNT_ACTION    = 12'h100;   // RO  + 4a: packets with action a
  localparam logic [11:0] IO_CNT_FAULT     = 12'h140;   // RO  + 4f: runs with fault code f
  localparam logic [11:0] IO_CNT_OVERSIZE  = 12'h180;   // RO  frames over MaxFrameBytes
  localparam logic [11:0] IO_CNT_MALFORMED = 12'h184;   // RO  bad tkeep or port
  localparam logic [11:0] IO_CNT_REDIR_BAD = 12'h188;   // RO  REDIRECT to no known port
  localparam logic [11:0] IO_CNT_EMPTY     = 12'h18c;   // RO  verdict with data_end <= data
  localparam logic [11:0] IO_CNT_HOST_DROP = 12'h190;   // RO  host accesses refused
  localparam logic [11:0] IO_CNT_RX_PORT   = 12'h200;   // RO  + 4p: frames in on port p
  localparam logic [11:0] IO_CNT_TX_PORT   = 12'h300;   // RO  + 4p: frames out on port p

  // IO_CTRL bits.
  localparam int unsigned IoCtrlEnable = 0;
  localparam int unsigned IoCtrlClear  = 1;
  // IO_STATUS bits.
  localparam int unsigned IoStatusBusy    = 0;   // a frame is in flight
  localparam int unsigned IoStatusRxFrame = 1;   // ingress inside a frame
  localparam int unsigned IoStatusTxBusy  = 2;   // egress sending
  localparam int unsigned IoStatusEnabled = 3;   // IO_CTRL.ENABLE
  localparam int unsigned IoStatusStateLsb = 8;  // [11:8] sequencer state
  // IO_LAST_INFO fields.
  localparam int unsigned IoInfoActionLsb = 0;   // [2:0]   XDP action
  localparam int unsigned IoInfoSent      = 3;   // frame sent
  localparam int unsigned IoInfoFaultLsb  = 8;   // [15:8]  fault code
  localparam int unsigned IoInfoInPortLsb = 16;  // [23:16] ingress port
  localparam int unsigned IoInfoOutPortLsb = 24; // [31:24] egress port

  localparam int unsigned IoNumFaults = 16;      // fault counters (codes 0..15)
  localparam int unsigned IoMaxPorts  = 64;      // port counters fit their 256-byte ranges

  /* verilator lint_on UNUSEDPARAM */

endpackage
