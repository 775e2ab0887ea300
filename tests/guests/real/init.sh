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
# What the kernel's DMI scan read from the BIOS's SMBIOS tables, if any.
d=/sys/class/dmi/id
if [ -r $d/bios_vendor ]; then
    echo "vmxlab-linux: dmi: $(cat $d/sys_vendor) $(cat $d/product_name), BIOS $(cat $d/bios_vendor) $(cat $d/bios_version) $(cat $d/bios_date)"
else
    echo "vmxlab-linux: dmi: none (the BIOS has no SMBIOS tables)"
fi
echo "vmxlab-linux: powering off"
poweroff -f
echo "vmxlab-linux: poweroff -f returned"
