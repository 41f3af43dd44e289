//go:build linux

package plugin

import (
	"os/exec"
	"syscall"
)

// ownGroup makes the plugin process the leader of a process group of its
// own, so that killGroup also ends the children it spawns: a child still
// holding the plugin's stdout keeps go-plugin waiting for the pipe to close,
// and the host with it.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup sends SIGKILL to the process group led by pid (the plugin and
// every child it left in the group) and to pid itself, which also ends a
// stopped or deadlocked process.
func killGroup(pid int) {
	if pid <= 0 {
		return
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
}
