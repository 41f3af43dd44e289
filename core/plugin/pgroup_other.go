//go:build !linux

package plugin

import (
	"os"
	"os/exec"
)

// ownGroup does nothing off Linux, which the project does not target: only
// the plugin process itself is killed there.
func ownGroup(*exec.Cmd) {}

// killGroup kills the process pid.
func killGroup(pid int) {
	if pid <= 0 {
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
