//go:build !unix

package lambdarun

import (
	"os"
	"syscall"
)

const (
	softStop = syscall.SIGKILL
	hardStop = syscall.SIGKILL
)

// newProcessGroup has no equivalent here; the emulator itself is only built
// for Unix systems.
func newProcessGroup() *syscall.SysProcAttr { return nil }

func signalGroup(p *os.Process, _ syscall.Signal) error {
	if p == nil {
		return nil
	}
	return p.Kill()
}
