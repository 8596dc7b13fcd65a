// ebpf-fpga-sim: the simulated board.
//
//   ebpf-fpga-sim serve [--listen udp://HOST:PORT] [--port N] [--pcie-socket PATH]
//                       [--trace WAVES.fst] [--mac]
//                       [--pcap IN.pcap [--port-in N] [--pps R] [--loop K]]
//                       [--pcap-out OUT.pcap] [--tap NAME]
//
// Runs the Verilator model of ebpf_xdp_top (the soft-CPU behind the packet I/O block) and
// serves it over Etherbone/UDP (and the pcie-socket protocol) until SIGINT or SIGTERM, with
// traffic from a pcap file or a TAP interface (docs/host.md "The simulated board"). Port 0
// picks a free port. Stdout says where it listens, one "listening URI" line per socket, then
// "ready"; stderr gets the statistics at exit.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cinttypes>
#include <cstdio>
#include <iostream>

#include "board.h"
#include "ebpf_fpga/error.h"
#include "etherbone_endpoint.h"
#ifdef EBPF_FPGA_SIM_MAC
#include "mac_endpoint.h"
#endif
#include "server.h"
#include "uri.h"

namespace {

volatile sig_atomic_t g_stop = 0;

void on_signal(int sig) { g_stop = sig; }

bool g_mac = false;  // serve --mac: through the board top level's MAC and network RTL

int serve(const std::string& listen, int port, const std::string& pcie_socket,
          const std::string& trace, const ebpf::simserve::TrafficOptions& to) {
  using namespace ebpf;
  simserve::ServerOptions so;
  {
    const transport::Uri uri = transport::parse_uri(listen);
    if (uri.scheme != "udp") throw Error("--listen " + listen + ": expected udp://HOST:PORT");
    const transport::HostPort hp = transport::parse_host_port(uri, true);
    so.udp_host = hp.host;
    so.udp_port = hp.port;
  }
  if (port >= 0) so.udp_port = static_cast<uint16_t>(port);
  so.pcie_socket_path = pcie_socket;

  simserve::BoardOptions bo;
  bo.trace_path = g_mac ? "" : trace;

  // The stop signals are blocked except inside ppoll(), so none is lost between a check of
  // the flag and the wait.
  sigset_t block, wait_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &wait_mask);
  sigdelset(&wait_mask, SIGINT);
  sigdelset(&wait_mask, SIGTERM);
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  simserve::SimBoard board(bo);
  simserve::EtherboneEndpoint endpoint(board);
  simserve::DatagramHandler* udp = &endpoint;
#ifdef EBPF_FPGA_SIM_MAC
  std::unique_ptr<simserve::MacEndpoint> mac;
  if (g_mac) {
    simserve::MacEndpointOptions mo;
    mo.trace_path = trace;
    mac = std::make_unique<simserve::MacEndpoint>(mo);
    udp = mac.get();
  }
#endif
  simserve::Server server(board, *udp, so);
  std::unique_ptr<simserve::Traffic> traffic;
  if (!to.pcap_in.empty() || !to.pcap_out.empty() || !to.tap.empty()) {
    traffic = std::make_unique<simserve::Traffic>(board, to);
    server.set_traffic(traffic.get());
  }
  std::printf("ebpf-fpga-sim: listening %s\n", server.udp_uri().c_str());
  if (!server.pcie_uri().empty()) {
    std::printf("ebpf-fpga-sim: listening %s\n", server.pcie_uri().c_str());
  }
  if (traffic && !to.pcap_in.empty()) {
    std::printf("ebpf-fpga-sim: traffic %s x%llu into port %u\n", to.pcap_in.c_str(),
                static_cast<unsigned long long>(to.loop), to.port_in);
  }
  if (traffic && !to.tap.empty()) std::printf("ebpf-fpga-sim: tap %s on port 0\n", to.tap.c_str());
  std::printf("ebpf-fpga-sim: ready\n");
  std::fflush(stdout);

  server.run(&g_stop, wait_mask);

  const auto& es = endpoint.stats();
  const auto& ss = server.stats();
  std::fprintf(stderr, "ebpf-fpga-sim: stopped by %s\n", g_stop == SIGINT ? "SIGINT" : "SIGTERM");
  std::fprintf(stderr,
               "ebpf-fpga-sim: stats datagrams=%" PRIu64 " malformed=%" PRIu64
               " bad_address=%" PRIu64 " ignored=%" PRIu64 " probes=%" PRIu64
               " replies=%" PRIu64 " pcie_connections=%" PRIu64 " pcie_frames=%" PRIu64
               " pcie_bad_frames=%" PRIu64 " pcie_unsupported=%" PRIu64 " out_of_range=%" PRIu64
               " cycles=%" PRIu64 "\n",
               es.datagrams, es.malformed, es.bad_address, es.ignored, es.probes, es.replies,
               ss.pcie_connections, ss.pcie_frames, ss.pcie_bad_frames, ss.pcie_unsupported,
               board.out_of_range(), board.cycles());
  if (traffic) {
    const auto& ts = traffic->stats();
    std::string per_port;
    for (uint64_t n : ts.egress_per_port) per_port += (per_port.empty() ? "" : ",") + std::to_string(n);
    std::fprintf(stderr,
                 "ebpf-fpga-sim: traffic pcap_fed=%" PRIu64 " tap_in=%" PRIu64 " tap_fed=%" PRIu64
                 " tap_dropped=%" PRIu64 " tap_out=%" PRIu64 " tap_write_errors=%" PRIu64
                 " egress=%" PRIu64 " egress_per_port=%s\n",
                 ts.pcap_fed, ts.tap_in, ts.tap_fed, ts.tap_dropped, ts.tap_out,
                 ts.tap_write_errors, ts.egress, per_port.c_str());
    traffic->finish();
  }
  if (es.malformed) {
    std::fprintf(stderr, "ebpf-fpga-sim: last malformed datagram: %s\n",
                 endpoint.last_reject().c_str());
  }
#ifdef EBPF_FPGA_SIM_MAC
  if (mac) {
    std::fprintf(stderr, "ebpf-fpga-sim: mac %s\n", mac->stats_text().c_str());
    const std::string why = mac->last_problem();
    if (!why.empty()) std::fprintf(stderr, "ebpf-fpga-sim: mac last problem: %s\n", why.c_str());
  }
#endif
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The simulated board: the Verilator model of the eBPF soft-CPU served over "
               "Etherbone/UDP and the pcie-socket protocol.",
               "ebpf-fpga-sim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("ebpf-fpga-sim ") + EBPF_FPGA_VERSION);
  CLI::App* s = app.add_subcommand("serve", "serve the model until SIGINT or SIGTERM");
  std::string listen = "udp://127.0.0.1:1234", pcie_socket, trace;
  int port = -1;
  s->add_option("--listen", listen, "UDP address for Etherbone (port 0: pick a free one)")
      ->capture_default_str();
  s->add_option("--port", port, "UDP port, overriding the one in --listen (0: pick a free one)")
      ->check(CLI::Range(0, 65535));
  s->add_option("--pcie-socket", pcie_socket, "also serve the pcie-socket protocol at PATH");
  s->add_option("--trace", trace, "write an FST waveform of every cycle to this file");
#ifdef EBPF_FPGA_SIM_MAC
  s->add_flag("--mac", g_mac, "simulate the board top level: each datagram becomes an Ethernet "
              "frame at the GMII pins of our MAC, IPv4/UDP and Etherbone RTL (docs/host.md)");
#endif
  ebpf::simserve::TrafficOptions to;
  s->add_option("--pcap", to.pcap_in, "feed the frames of this pcap file into the board")
      ->check(CLI::ExistingFile);
  s->add_option("--port-in", to.port_in, "ingress port of the --pcap frames")
      ->capture_default_str();
  s->add_option("--pps", to.pps, "at most this many --pcap frames per second (0: as fast as "
                "the model takes them)")->check(CLI::NonNegativeNumber)->capture_default_str();
  s->add_option("--loop", to.loop, "send the --pcap frames this many times")
      ->check(CLI::PositiveNumber)->capture_default_str();
  s->add_option("--pcap-out", to.pcap_out, "record every frame leaving the board here (egress "
                "port and origin in PATH.ports.tsv)");
  s->add_option("--tap", to.tap, "connect port 0 to this Linux TAP interface (created if "
                "needed; needs /dev/net/tun and CAP_NET_ADMIN)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (g_mac && (!pcie_socket.empty() || !to.pcap_in.empty() || !to.pcap_out.empty() ||
                  !to.tap.empty())) {
      throw ebpf::Error("--mac serves Etherbone over UDP only (no --pcie-socket, --pcap, "
                        "--pcap-out or --tap with it)");
    }
    return serve(listen, port, pcie_socket, trace, to);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ebpf-fpga-sim: error: %s\n", e.what());
    return 1;
  }
}
