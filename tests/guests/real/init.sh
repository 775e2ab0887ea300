#!/bin/busybox sh
# /init of the catalogue's Linux guests (tests/guests/real/catalogue.py puts it
# into the initramfs beside busybox-static): say that user space runs, show
# the CPU the kernel saw, and power off. `poweroff -f` asks the kernel for
# an immediate power-off, which ends through ACPI S5.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "vmxlab-linux: init reached: $(uname -r) $(uname -m)"
cat /proc/cpuinfo
echo "vmxlab-linux: memory: $(grep MemTotal /proc/meminfo)"
echo "vmxlab-linux: powering off"
poweroff -f
echo "vmxlab-linux: poweroff -f returned"
