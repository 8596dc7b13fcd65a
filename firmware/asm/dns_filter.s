# dns_filter.s: drop DNS queries (UDP to port 53) with a valid IPv4 header checksum.
# Input (conformance convention): r1 = packet data (Ethernet frame), r2 = its length.
# Returns an XDP action: DROP (1) for UDP to port 53, ABORTED (0) for a bad IPv4 header
# checksum, PASS (2) for everything else.
    mov %r0, 2
    jlt %r2, 42, out            # shorter than Ethernet + IPv4 + UDP headers
    ldxh %r3, [%r1+12]          # EtherType, network order
    be16 %r3
    jne %r3, 0x0800, out        # not IPv4
    ldxb %r4, [%r1+14]          # version/IHL
    and %r4, 0x0f
    lsh %r4, 2                  # header length in bytes
    jlt %r4, 20, out
    mov %r8, %r4
    add %r8, 22                 # Ethernet + IPv4 header + UDP header
    jgt %r8, %r2, out
    mov %r5, 0                  # ones-complement sum of the IPv4 header
    mov %r6, %r1
    add %r6, 14
    mov %r7, %r6
    add %r7, %r4                # end of the IPv4 header = start of UDP
csum:
    ldxh %r9, [%r6]
    be16 %r9
    add %r5, %r9
    add %r6, 2
    jlt %r6, %r7, csum
fold:
    mov %r9, %r5
    rsh %r9, 16
    and %r5, 0xffff
    add %r5, %r9
    jgt %r5, 0xffff, fold
    mov %r0, 0
    jne %r5, 0xffff, out        # checksum does not verify
    mov %r0, 2
    ldxb %r3, [%r1+23]          # IPv4 protocol
    jne %r3, 17, out            # not UDP
    ldxh %r3, [%r7+2]           # UDP destination port
    be16 %r3
    jne %r3, 53, out
    mov %r0, 1
out:
    exit
