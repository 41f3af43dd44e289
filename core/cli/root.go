// Package cli is the balai command: the server (balai serve) and the admin
// CLI (tenant, user, role, ...) that works directly on the same database.
package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/host"
)

// Version is set at build time with -ldflags "-X .../core/cli.Version=...".
var Version = "dev"

type app struct {
	v      *viper.Viper
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
}

// Execute runs the balai command with os.Args and returns the exit code.
func Execute() int {
	return Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run runs the command with args; tests call it in-process.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{v: viper.New(), stdout: stdout, stderr: stderr, stdin: stdin}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		if e, ok := apierr.As(err); ok {
			fmt.Fprintf(stderr, "error: %s (%s)\n", e.Message, e.Code)
		} else {
			fmt.Fprintf(stderr, "error: %v\n", err)
		}
		return 1
	}
	return 0
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "balai",
		Short: "Balai: one smart-village portal for every village of a regency",
		Long: `Balai runs a regency's smart-village software for all of its villages from one
deployment. "balai serve" starts the portal; the other commands administer the
same database directly (tenants, users, roles), for set-up and for recovery.

Every flag can also be set as an environment variable BALAI_<FLAG> (for
example BALAI_DATABASE) or as a key of balai.yaml in the working directory
(or the file named by --config).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.loadConfig(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.String("config", "", "configuration file (default: balai.yaml in the working directory, if present)")
	pf.String("data", "data", "directory for the embedded SQLite database and local files")
	pf.String("database", "", "PostgreSQL URL (postgres://user:pass@host:5432/db); empty uses SQLite in --data")
	pf.String("plugins", "bin/plugins", "directory of plugin binaries")
	pf.String("log-level", "info", "log level: debug, info, warn or error")
	pf.String("log-format", "text", "log format: text or json")
	root.AddCommand(a.serveCmd(), a.tenantCmd(), a.userCmd(), a.roleCmd(), a.pluginCmd(), a.auditCmd(), a.migrateCmd(),
		a.populationCmd(), a.demoCmd())
	for _, c := range root.Commands() {
		if c.HasSubCommands() {
			strictGroup(c)
		}
	}
	return root
}

// strictGroup makes a command that only groups others fail on an unknown
// subcommand, instead of printing help and exiting 0 as cobra does.
func strictGroup(c *cobra.Command) {
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("unknown command %q for %q; see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
		return cmd.Help()
	}
}

// loadConfig merges, from strongest to weakest: flags, BALAI_* variables,
// the config file, defaults.
func (a *app) loadConfig(cmd *cobra.Command) error {
	v := a.v
	v.SetEnvPrefix("BALAI")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	if err := v.BindPFlags(cmd.Flags()); err != nil {
		return err
	}
	file := v.GetString("config")
	if file == "" {
		if _, err := os.Stat("balai.yaml"); err == nil {
			file = "balai.yaml"
		}
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("reading config %s: %w", file, err)
		}
	}
	return nil
}

func (a *app) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.v.GetString("log-level"))); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(a.stderr, opts)
	if a.v.GetString("log-format") == "json" {
		h = slog.NewJSONHandler(a.stderr, opts)
	}
	return slog.New(h)
}

// open opens and migrates the database the flags name.
func (a *app) open() (*host.Host, error) {
	// The CLI logs only warnings: its output is for the operator.
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return host.Open(host.Config{DatabaseURL: a.v.GetString("database"), DataDir: a.v.GetString("data")}, nil, log)
}

// cliWho is the audit identity of the CLI: whoever runs it on the machine.
func cliWho() audit.Who {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return audit.Who{Actor: "cli:" + name, Source: "cli"}
}
