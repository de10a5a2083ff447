package lambdarun

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// endChildren ends the processes the emulator started, the bootstrap, and
// waits a while for the emulator to reap them. The emulator runs each in a
// process group of its own, so signals to the emulator's group miss them,
// and ending the emulator first would orphan them.
func endChildren(parent int, limit time.Duration) {
	kids := children(parent)
	signalAll(kids, syscall.SIGTERM)
	deadline := time.Now().Add(limit)
	for len(kids) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		kids = children(parent)
	}
	signalAll(kids, syscall.SIGKILL)
}

// signalAll signals each process's group if it leads one, else the process.
func signalAll(pids []int, sig syscall.Signal) {
	for _, pid := range pids {
		if pgid, err := syscall.Getpgid(pid); err == nil && pgid == pid {
			_ = syscall.Kill(-pid, sig)
		} else {
			_ = syscall.Kill(pid, sig)
		}
	}
}

// children lists the processes whose parent is parent, from /proc.
func children(parent int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err == nil && parentOf(pid) == parent {
			out = append(out, pid)
		}
	}
	return out
}

// parentOf reads the parent id from /proc/pid/stat, whose fields after the
// parenthesised command name begin with the state and the parent id.
func parentOf(pid int) int {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 2 {
		return -1
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return -1
	}
	return ppid
}
