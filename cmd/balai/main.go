// Command balai is the Balai server and admin CLI.
package main

import (
	"os"

	"github.com/balaidesa/balai/core/cli"
)

func main() { os.Exit(cli.Execute()) }
