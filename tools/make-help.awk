#!/usr/bin/awk -f
# make-help.awk - `make help`: the targets and variables a Makefile documents.
#
# Usage: awk -f tools/make-help.awk Makefile [more makefiles]
#
# The convention: one or more comment lines that start with `#:` sit right
# above what they document, a rule or a variable assignment:
#
#     #: boot GUEST in the best engine (installs missing packages first)
#     run: deps
#
#     #: auto|bochs|qemu|kvm: the engine of make run
#     ENGINE ?= auto
#
# A rule's text is listed as "make TARGET" (its first target), an
# assignment's as "NAME=DEFAULT" (NAME alone when the default is computed). A `#:` block that nothing follows is an
# error, so a comment cannot drift away from its target unnoticed.
# Ordinary `#` comments are for readers of the Makefile and are not shown.

function flush_orphan() {
    if (text != "") {
        printf "make-help.awk: %s:%d: a #: comment that documents no rule or variable\n", FILENAME, line > "/dev/stderr"
        bad = 1
        text = ""
    }
}

/^#:/ {
    t = $0
    sub(/^#: ?/, "", t)
    text = text == "" ? t : text "\n" t
    line = FNR
    next
}

text != "" {
    if (match($0, /^[A-Za-z_][A-Za-z0-9_]*[ \t]*(\?|:|\+)?=/)) {
        name = $0
        sub(/[ \t]*(\?|:|\+)?=.*/, "", name)
        value = $0
        sub(/^[^=]*=[ \t]*/, "", value)
        nvars++
        vname[nvars] = value ~ /\$/ ? name : name "=" value  # a computed default: the text says it
        vtext[nvars] = text
    } else if (match($0, /^[^ \t#=][^=]*:/) && $0 !~ /^[^:]*:=/) {
        name = $0
        sub(/:.*/, "", name)
        split(name, words, " ")
        ntargets++
        tname[ntargets] = words[1] == "all" ? "make" : "make " words[1]
        ttext[ntargets] = text
    } else {
        flush_orphan()
    }
    text = ""
}

function show(name, body,    n, parts, i) {
    n = split(body, parts, "\n")
    if (length(name) > 22) {
        printf "  %s\n", name
        name = ""
    }
    for (i = 1; i <= n; i++) {
        printf "  %-22s %s\n", i == 1 ? name : "", parts[i]
    }
}

END {
    flush_orphan()
    print "Targets:"
    for (i = 1; i <= ntargets; i++)
        show(tname[i], ttext[i])
    print ""
    print "Variables (make TARGET NAME=value; the default after =):"
    for (i = 1; i <= nvars; i++)
        show(vname[i], vtext[i])
    exit bad
}
