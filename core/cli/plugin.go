package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/plugin"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

func (a *app) pluginCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plugin",
		Short: "Inspect plugin binaries and enable modules for tenants",
		Long: `Every feature of Balai is a plugin: a separate binary in the --plugins
directory that "balai serve" starts and supervises. A plugin serves a tenant
only where it is enabled; enabling it for a tenant enables it for every tenant
below, and a nearer tenant can disable it again.`,
	}
	cmd.AddCommand(a.pluginInspectCmd(), a.pluginListCmd(), a.pluginEnableCmd(true), a.pluginEnableCmd(false))
	return cmd
}

func (a *app) pluginInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect PATH",
		Short: "Start a plugin binary just long enough to print its manifest",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			m, proto, err := plugin.Inspect(ctx, args[0])
			if err != nil {
				return fmt.Errorf("inspecting %s: %w", args[0], err)
			}
			sum, err := plugin.FileChecksum(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"manifest": m, "protocol": proto, "sha256": sum})
			}
			printManifest(a, m, proto, sum)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printManifest(a *app, m *pb.Manifest, proto int, sum string) {
	w := a.stdout
	fmt.Fprintf(w, "%s %s by %s\n%s\n\nprotocol %d, sha256 %s\n", m.Id, m.Version, m.Vendor, m.Description, proto, sum)
	fmt.Fprintln(w, "\nPERMISSIONS")
	rows := [][]string{}
	for _, p := range m.Permissions {
		rows = append(rows, []string{p.Name, strings.Join(p.Roles, ","), p.Description})
	}
	table(w, []string{"NAME", "ROLES", "DESCRIPTION"}, rows)
	fmt.Fprintln(w, "\nROUTES")
	rows = rows[:0]
	for _, r := range m.Routes {
		perm := r.Permission
		if r.Public {
			perm = "(public)"
		}
		rows = append(rows, []string{r.Method, r.Path, perm})
	}
	table(w, []string{"METHOD", "PATH", "PERMISSION"}, rows)
	fmt.Fprintln(w, "\nCOLLECTIONS")
	rows = rows[:0]
	for _, c := range m.Collections {
		var fields, idx []string
		for _, f := range c.Fields {
			s := f.Name + ":" + strings.ToLower(strings.TrimPrefix(f.Type.String(), "FIELD_TYPE_"))
			if f.Required {
				s += "!"
			}
			if f.Personal {
				s += "(personal)"
			}
			fields = append(fields, s)
		}
		for _, ix := range c.Indexes {
			s := strings.Join(ix.Fields, "+")
			if ix.Unique {
				s = "unique(" + s + ")"
			}
			idx = append(idx, s)
		}
		rows = append(rows, []string{c.Name, strings.Join(fields, " "), strings.Join(idx, " ")})
	}
	table(w, []string{"NAME", "FIELDS", "INDEXES"}, rows)
	if len(m.Publishes)+len(m.Consumes) > 0 {
		fmt.Fprintf(w, "\nEVENTS\npublishes: %s\nconsumes:  %s\n", strings.Join(m.Publishes, ", "), strings.Join(m.Consumes, ", "))
	}
}

func (a *app) pluginListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list [--plugins DIR]",
		Short: "List the plugin binaries of a directory with their manifests",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := a.v.GetString("plugins")
			entries, err := os.ReadDir(dir)
			if err != nil {
				return fmt.Errorf("reading %s: %w", dir, err)
			}
			cfg := a.pluginConfig()
			rows := [][]string{}
			for _, e := range entries {
				path := filepath.Join(dir, e.Name())
				info, err := e.Info()
				if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
					continue
				}
				// Checked as the server checks it when loading: a
				// plugin it would refuse is listed refused, with why.
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				m, proto, err := plugin.InspectInstalled(ctx, cfg, e.Name())
				cancel()
				sum, serr := plugin.FileChecksum(path)
				if serr != nil {
					sum = "-"
				}
				sum = sum[:min(12, len(sum))]
				if err != nil {
					rows = append(rows, []string{e.Name(), "-", "-", "-", sum, "refused: " + err.Error()})
					continue
				}
				rows = append(rows, []string{e.Name(), m.Id, m.Version, fmt.Sprint(proto), sum, m.Description})
			}
			table(a.stdout, []string{"FILE", "ID", "VERSION", "PROTOCOL", "SHA256", "DESCRIPTION"}, rows)
			return nil
		},
	}
}

func (a *app) pluginEnableCmd(enable bool) *cobra.Command {
	verb, short := "enable", "Enable a module for a tenant and every tenant below it"
	if !enable {
		verb, short = "disable", "Disable a module for a tenant and every tenant below it"
	}
	var tenant string
	var inherit bool
	cmd := &cobra.Command{
		Use:   verb + " PLUGIN --tenant CODE",
		Short: short,
		Long: short + `.

PLUGIN is the id of a plugin the server loads from --plugins (a plugin's
file is named by its id); the command starts that binary to check it, as the
server would, and fails without changing anything for an id the server has
no plugin for, or one it refuses.`,
		Example: "  balai plugin " + verb + " population --tenant 14.01 --plugins /opt/balai/plugins",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tenant == "" {
				return fmt.Errorf("give the tenant with --tenant CODE")
			}
			// The API refuses an id no plugin of the server has (404
			// plugin_not_found); so does the CLI, by the server's rules.
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			if err := plugin.Lookup(ctx, a.pluginConfig(), args[0]); err != nil {
				return err
			}
			var setting *bool
			if !inherit {
				setting = &enable
			}
			return a.inTx(func(tx *gorm.DB) error {
				if err := plugin.SetModule(tx, cliWho(), tenant, args[0], setting); err != nil {
					return err
				}
				if inherit {
					fmt.Fprintf(a.stdout, "%s in %s now follows the tenants above it\n", args[0], tenant)
				} else {
					fmt.Fprintf(a.stdout, "%sd %s for %s and the tenants below it\n", verb, args[0], tenant)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant code")
	if enable {
		cmd.Flags().BoolVar(&inherit, "inherit", false, "remove this tenant's own setting so it follows its parent")
	}
	return cmd
}
