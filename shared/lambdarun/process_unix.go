//go:build unix

package lambdarun

import (
	"os"
	"syscall"
)

const (
	softStop = syscall.SIGTERM
	hardStop = syscall.SIGKILL
)

// newProcessGroup puts the emulator in a group of its own, so that a stop
// reaches the bootstrap it started even if the emulator cannot pass it on.
func newProcessGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

func signalGroup(p *os.Process, sig syscall.Signal) error {
	if p == nil {
		return nil
	}
	return syscall.Kill(-p.Pid, sig)
}
