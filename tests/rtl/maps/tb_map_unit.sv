/**
 * Test bench of the map unit: ebpf_map_unit plus the value memory it masters (as ebpf_top
 * will hold it), and a test port into that memory, served while the unit is idle, through
 * which the tests compare the program's view of every map with MapStore.
 */
module tb_map_unit
  import ebpf_map_pkg::*;
#(
  parameter int unsigned MaxMaps    = 32,
  parameter int unsigned KeyWords   = 2048,
  parameter int unsigned Buckets    = 8192,
  parameter int unsigned Slots      = 2048,
  parameter int unsigned ValueWords = 16384,
  localparam int unsigned VmAw = $clog2(ValueWords),
  localparam int unsigned DescAw = $clog2(MaxMaps * MAP_DESC_WORDS)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     cmd_valid_i,
  input  logic [2:0]               cmd_op_i,
  input  logic [31:0]              cmd_map_i,
  input  logic [63:0]              cmd_flags_i,
  input  logic                     cmd_prog_i,
  input  logic [7:0]               cmd_cpu_i,
  input  logic                     cmd_null_key_i,
  output logic                     cmd_done_o,
  output logic [31:0]              cmd_status_o,
  output logic [31:0]              cmd_offset_o,
  output logic [63:0]              cmd_word_o,
  output logic                     busy_o,
  input  logic                     kbuf_req_i,
  input  logic                     kbuf_we_i,
  input  logic [5:0]               kbuf_addr_i,
  input  logic [63:0]              kbuf_wdata_i,
  input  logic [7:0]               kbuf_wmask_i,
  output logic [63:0]              kbuf_rdata_o,
  input  logic                     vbuf_req_i,
  input  logic                     vbuf_we_i,
  input  logic [6:0]               vbuf_addr_i,
  input  logic [63:0]              vbuf_wdata_i,
  input  logic [7:0]               vbuf_wmask_i,
  output logic [63:0]              vbuf_rdata_o,
  input  logic                     desc_we_i,
  input  logic [DescAw-1:0]        desc_addr_i,
  input  logic [31:0]              desc_wdata_i,
  output logic [MaxMaps-1:0]       map_valid_o,
  output logic [MaxMaps-1:0][31:0] map_base_o,
  output logic [MaxMaps-1:0][31:0] map_limit_o,
  output logic [MaxMaps-1:0]       map_ro_o,
  // test port into value memory (while the unit is idle)
  input  logic                     tvm_req_i,
  input  logic                     tvm_we_i,
  input  logic [VmAw-1:0]          tvm_addr_i,
  input  logic [63:0]              tvm_wdata_i,
  output logic [63:0]              tvm_rdata_o
);

  logic            vm_req, vm_we;
  logic [VmAw-1:0] vm_addr;
  logic [63:0]     vm_wdata, vm_rdata;
  logic [7:0]      vm_wmask;
  logic            ram_req, ram_we;
  logic [VmAw-1:0] ram_addr;
  logic [63:0]     ram_wdata;
  logic [7:0]      ram_wmask;

  // One region read port per map, port m reading map m: every map's base and limit at once,
  // as the tests compare them.
  localparam int unsigned MapW = $clog2(MaxMaps);
  logic [MaxMaps-1:0][MapW-1:0] region_idx;
  for (genvar gm = 0; gm < int'(MaxMaps); gm++) begin : g_region_idx
    assign region_idx[gm] = MapW'(gm);
  end

  ebpf_map_unit #(
    .MaxMaps(MaxMaps), .KeyWords(KeyWords), .Buckets(Buckets), .Slots(Slots),
    .ValueWords(ValueWords), .RegionPorts(MaxMaps)
  ) u_dut (
    .clk_i, .rst_ni,
    .cmd_valid_i, .cmd_op_i(map_op_e'(cmd_op_i)), .cmd_map_i, .cmd_flags_i, .cmd_prog_i,
    .cmd_cpu_i, .cmd_null_key_i, .cmd_done_o, .cmd_status_o, .cmd_offset_o, .cmd_word_o,
    .busy_o,
    .kbuf_req_i, .kbuf_we_i, .kbuf_addr_i, .kbuf_wdata_i, .kbuf_wmask_i, .kbuf_rdata_o,
    .vbuf_req_i, .vbuf_we_i, .vbuf_addr_i, .vbuf_wdata_i, .vbuf_wmask_i, .vbuf_rdata_o,
    .desc_we_i, .desc_addr_i, .desc_wdata_i,
    .map_valid_o, .map_ro_o,
    .region_idx_i(region_idx), .region_base_o(map_base_o), .region_limit_o(map_limit_o),
    .vm_req_o(vm_req), .vm_we_o(vm_we), .vm_addr_o(vm_addr), .vm_wdata_o(vm_wdata),
    .vm_wmask_o(vm_wmask), .vm_rdata_i(vm_rdata)
  );

  always_comb begin
    if (busy_o) begin
      ram_req = vm_req; ram_we = vm_we; ram_addr = vm_addr; ram_wdata = vm_wdata;
      ram_wmask = vm_wmask;
    end else begin
      ram_req = tvm_req_i; ram_we = tvm_we_i; ram_addr = tvm_addr_i; ram_wdata = tvm_wdata_i;
      ram_wmask = 8'hFF;
    end
  end

  ebpf_prim_ram_1p #(.Width(64), .Depth(ValueWords)) u_values (
    .clk_i, .req_i(ram_req), .we_i(ram_we), .addr_i(ram_addr), .wdata_i(ram_wdata),
    .wmask_i(ram_wmask), .rdata_o(vm_rdata)
  );
  assign tvm_rdata_o = vm_rdata;

endmodule
