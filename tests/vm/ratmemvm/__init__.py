"""ratmem's VM test bench: kernels, guest images, QEMU, console verdicts."""
