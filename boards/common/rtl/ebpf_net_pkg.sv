/**
 * Network stack constants (docs/network.md, docs/etherbone.md)
 *
 * Ethernet, ARP, IPv4 and UDP field values, the Etherbone packet constants, the CRC-32 and
 * ones'-complement helpers shared by the MAC and the IPv4/UDP blocks, and the NET register
 * window that the stack serves on its own CSR bus (counters and configuration read-back).
 */
package ebpf_net_pkg;

  /* verilator lint_off UNUSEDPARAM */

  ////////////////
  // Ethernet   //
  ////////////////

  localparam logic [7:0]  EthPreamble    = 8'h55;      // preamble byte (7 of them)
  localparam logic [7:0]  EthSfd         = 8'hd5;      // start-of-frame delimiter
  localparam int unsigned EthHdrBytes    = 14;         // dst MAC, src MAC, EtherType
  localparam int unsigned EthMinFrame    = 64;         // smallest frame, FCS included
  localparam int unsigned EthMinPayload  = 60;         // smallest frame without FCS (TX pad)
  localparam int unsigned EthPreambleLen = 7;          // preamble bytes before the SFD
  localparam int unsigned EthIfgBytes    = 12;         // inter-frame gap, byte times
  localparam int unsigned EthMaxFrame    = 1518;       // largest untagged frame, FCS included
  localparam int unsigned EthJumboFrame  = 9018;       // common jumbo limit, FCS included
  localparam logic [15:0] EtherTypeIpv4  = 16'h0800;
  localparam logic [15:0] EtherTypeArp   = 16'h0806;
  localparam logic [47:0] MacBroadcast   = 48'hffff_ffff_ffff;

  // CRC-32 (IEEE 802.3), reflected, polynomial 0x04c11db7 (0xedb88320 reflected). A frame
  // whose FCS is right leaves this value in the register after its last FCS byte.
  localparam logic [31:0] Crc32Poly      = 32'hedb8_8320;
  localparam logic [31:0] Crc32Init      = 32'hffff_ffff;
  localparam logic [31:0] Crc32Residue   = 32'hdebb_20e3;

  ////////////////
  // ARP        //
  ////////////////

  localparam logic [15:0] ArpHtypeEth    = 16'h0001;
  localparam logic [15:0] ArpOpRequest   = 16'h0001;
  localparam logic [15:0] ArpOpReply     = 16'h0002;
  localparam int unsigned ArpFrameBytes  = 42;         // Ethernet header + ARP body, no pad

  ////////////////
  // IPv4 / UDP //
  ////////////////

  localparam logic [7:0]  IpVerIhl5      = 8'h45;      // version 4, 5-word header
  localparam logic [7:0]  IpProtoUdp     = 8'd17;
  localparam logic [7:0]  IpTtl          = 8'd64;      // TTL of the packets we send
  localparam logic [15:0] IpFlagsDf      = 16'h4000;   // don't fragment, offset 0
  localparam int unsigned IpHdrBytes     = 20;
  localparam int unsigned UdpHdrBytes    = 8;
  localparam int unsigned UdpFrameHdr    = EthHdrBytes + IpHdrBytes + UdpHdrBytes;   // 42

  ////////////////
  // Etherbone  //
  ////////////////

  localparam logic [15:0] EbMagic        = 16'h4e6f;
  localparam logic [3:0]  EbVersion      = 4'd1;
  localparam logic [7:0]  EbSizes        = 8'h44;      // 32-bit addresses, 32-bit ports
  localparam logic [7:0]  EbByteEnAll    = 8'h0f;      // the only write byte-enable we take
  localparam int unsigned EbHdrBytes     = 8;          // magic, flags, sizes, 4 bytes padding
  localparam int unsigned EbFlagPf       = 0;          // probe flag (bit of header byte 2)
  localparam int unsigned EbFlagPr       = 1;          // probe reply
  localparam int unsigned EbFlagNr       = 2;          // no reads
  localparam int unsigned EbRecWff       = 6;          // record flag: writes to one address
  localparam logic [15:0] EbDefaultPort  = 16'd1234;   // the UDP port LiteX tools use

  ///////////////////////
  // NET register page //
  ///////////////////////

  // The stack answers bus accesses in [NetCsrBase, NetCsrBase + 4 KiB) itself; every other
  // address goes to ebpf_top. ebpf_csr_pkg reserves this page for it (0x0_e000-0x0_efff, below
  // the packet I/O page 0x0_f000; ebpf_top leaves it unmapped).
  localparam logic [19:0] NetCsrBase     = 20'h0_e000;
  localparam int unsigned NetCsrPageBits = 12;
  localparam logic [31:0] NetId          = 32'h6e65_7431;   // "net1"

  // Word offsets inside the page (byte offset = 4 * index).
  typedef enum logic [5:0] {
    NetRegId           = 6'd0,    // NetId
    NetRegMacHi        = 6'd1,    // local MAC bits 47:32
    NetRegMacLo        = 6'd2,    // local MAC bits 31:0
    NetRegIp           = 6'd3,    // local IPv4 address
    NetRegPort         = 6'd4,    // Etherbone UDP port
    NetRegRxGood       = 6'd8,    // MAC: frames received with a good FCS and length
    NetRegRxBadFcs     = 6'd9,    //      frames with a bad FCS
    NetRegRxRunt       = 6'd10,   //      frames shorter than 64 bytes (FCS included)
    NetRegRxGiant      = 6'd11,   //      frames longer than MaxFrameBytes (truncated)
    NetRegRxPhyErr     = 6'd12,   //      frames with RX_ER or a broken preamble
    NetRegRxCtrl       = 6'd13,   // steering: good frames to the control path
    NetRegRxData       = 6'd14,   //           good frames to the data plane
    NetRegRxCtrlOvf    = 6'd15,   //           control frames lost to a full FIFO
    NetRegRxDataOvf    = 6'd16,   //           data-plane frames lost to a full FIFO
    NetRegTxFrames     = 6'd17,   // MAC: frames sent
    NetRegTxUnderrun   = 6'd18,   //      frames cut short because the stream ran dry
    NetRegTxDataDrop   = 6'd19,   //      data-plane TX frames larger than the TX FIFO
    NetRegArpReplies   = 6'd20,   // ARP: replies sent
    NetRegArpDropped   = 6'd21,   //      requests for us dropped (reply still pending)
    NetRegIpUdpGood    = 6'd22,   // IPv4/UDP: datagrams delivered to Etherbone
    NetRegIpBadCsum    = 6'd23,   //           bad IPv4 header checksum
    NetRegIpBadHdr     = 6'd24,   //           version != 4, options, bad lengths
    NetRegIpFragment   = 6'd25,   //           fragments
    NetRegUdpBad       = 6'd26,   //           bad UDP length or checksum, truncated
    NetRegEbPackets    = 6'd27,   // Etherbone: packets executed
    NetRegEbProbes     = 6'd28,   //            probes answered
    NetRegEbBadMagic   = 6'd29,   //            bad magic
    NetRegEbBadVersion = 6'd30,   //            bad version
    NetRegEbBadSize    = 6'd31,   //            address/port size not 32-bit, write byte enable
    NetRegEbBadLen     = 6'd32,   //            truncated, misaligned or too long
    NetRegEbBadAddr    = 6'd33,   //            an address outside the CSR map
    NetRegEbWrites     = 6'd34,   //            bus writes done
    NetRegEbReads      = 6'd35,   //            bus reads done
    NetRegEbTimeouts   = 6'd36,   //            bus reads that never answered
    NetRegEbIgnored    = 6'd37    //            packets with the probe-reply flag (ignored)
  } net_reg_e;

  localparam int unsigned NetNumRegs = 38;

  ///////////////
  // Functions //
  ///////////////

  // One byte through the reflected CRC-32 register.
  function automatic logic [31:0] crc32_byte(logic [31:0] crc, logic [7:0] data);
    logic [31:0] c;
    c = crc ^ {24'd0, data};
    for (int i = 0; i < 8; i++) begin
      c = c[0] ? ((c >> 1) ^ Crc32Poly) : (c >> 1);
    end
    return c;
  endfunction

  // Folds a 32-bit ones'-complement accumulator to 16 bits (end-around carry, twice).
  function automatic logic [15:0] csum_fold(logic [31:0] sum);
    logic [16:0] s;
    s = {1'b0, sum[31:16]} + {1'b0, sum[15:0]};
    s = {1'b0, s[15:0]} + {16'd0, s[16]};
    return s[15:0];
  endfunction

  /* verilator lint_off UNUSEDSIGNAL */
  // True when a 32-bit Etherbone address may be accessed: word aligned and inside the CSR
  // map. whole_map = 1 (the default of the stack and of ebpf_net_etherbone, and what the boards
  // use): every word of the 20-bit CSR space, which holds the register page, the program
  // table, the map command block (key/value buffers, descriptors), the NET page (0x0_e000),
  // the packet I/O page (0x0_f000), the stack, packet, event (0x4_0000), map value
  // (0x6_0000-0x7_ffff) and instruction windows. whole_map = 0: only the windows of the first
  // CSR map (registers, stack, packet, NET page, instructions).
  function automatic logic csr_addr_ok(logic [31:0] addr, logic whole_map);
    logic in_map;
    in_map = addr[31:20] == 12'd0 && (
             whole_map ||
             addr[19:12] == 8'h00 ||                                        // registers
             addr[19:16] == ebpf_csr_pkg::WIN_STACK[19:16] ||               // stack
             addr[19:17] == ebpf_csr_pkg::WIN_PACKET[19:17] ||              // packet
             addr[19] == ebpf_csr_pkg::WIN_IMEM[19] ||                      // instructions
             addr[19:NetCsrPageBits] == NetCsrBase[19:NetCsrPageBits]);     // NET page
    return in_map && addr[1:0] == 2'b00;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  /* verilator lint_on UNUSEDPARAM */

endpackage
