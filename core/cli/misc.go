package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/host"
)

func (a *app) auditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Read the audit trail"}
	var f audit.Filter
	var asJSON bool
	list := &cobra.Command{
		Use:   "list [--actor U] [--action A] [--tenant CODE]",
		Short: "List audit entries, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withHost(func(h *host.Host) error {
				f.Scopes = []string{"*"}
				items, total, err := audit.List(h.DB.DB, f)
				if err != nil {
					return err
				}
				return printList(a.stdout, asJSON, items, total, []string{"AT", "ACTOR", "TENANT", "ACTION", "TARGET", "SOURCE"}, func(e audit.Entry) []string {
					return []string{e.At.Format(time.RFC3339), e.Actor, e.Tenant, e.Action, e.Target, e.Source}
				})
			})
		},
	}
	list.Flags().StringVar(&f.Actor, "actor", "", "only this actor")
	list.Flags().StringVar(&f.Action, "action", "", "only this action (user.* for a family)")
	list.Flags().StringVar(&f.Tenant, "tenant", "", "only this tenant and below")
	list.Flags().IntVar(&f.Limit, "limit", 50, "at most this many")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(list)
	return cmd
}

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date (serve does this on start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withHost(func(h *host.Host) error {
				v, err := h.DB.SchemaVersion()
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "database %s is at schema %s\n", h.DB.Where, v)
				return nil
			})
		},
	}
}
