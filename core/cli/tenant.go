package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

func (a *app) tenantCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tenant",
		Short: "Manage tenants: the provinces, regencies, districts and villages served",
		Long: `A tenant is an administrative region identified by its Kemendagri code:
province 14, regency/city (kabupaten/kota) 14.01, district (kecamatan) 14.01.01,
village (desa/kelurahan) 14.01.01.2009.
The level follows from the code and the parent is the code's prefix.`,
	}
	cmd.AddCommand(a.tenantImportCmd(), a.tenantListCmd(), a.tenantGetCmd(), a.tenantCreateCmd(), a.tenantRenameCmd(), a.tenantDeleteCmd())
	return cmd
}

func (a *app) tenantImportCmd() *cobra.Command {
	var file string
	var under []string
	cmd := &cobra.Command{
		Use:   "import [--file wilayah.csv] [--under CODE]...",
		Short: "Create tenants from the official region list (kode,nama CSV)",
		Long: `Create tenants from the official region list, in one transaction: either all
of them land or none. Without --file the list built into balai is used (all
91,599 codes of Kepmendagri 300.2.2-2138/2025); --file takes a kode,nama CSV
such as a newer wilayah.csv. --under limits the import to a region and
everything below it, plus its ancestors; repeat it for several regions.
Without --under the whole list (the whole country) is imported. Running the
same import twice changes nothing; a region renamed in a newer list is
renamed.`,
		Example: `  balai tenant import --under 14.01          # Kabupaten Kampar, from the built-in list
  balai tenant import --file ../shared/data/wilayah.csv --under 14.01 --under 14.05`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var f io.ReadCloser
			source := file
			if file == "" {
				rc, err := regions.Open()
				if err != nil {
					return err
				}
				f, source = rc, regions.Name
			} else {
				of, err := os.Open(file)
				if err != nil {
					return err
				}
				f = of
			}
			defer f.Close()
			h, err := a.open()
			if err != nil {
				return err
			}
			defer h.Close()
			start := time.Now()
			progress := func(done, total int) {
				fmt.Fprintf(a.stderr, "\rimporting tenants: %d/%d (%d%%)", done, total, done*100/max(total, 1))
				if done == total {
					fmt.Fprintln(a.stderr)
				}
			}
			res, err := a.admin(h).ImportTenants(cmd.Context(), operator(), f, source, under, progress)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "imported %d regions in %s: %d created, %d renamed, %d unchanged\n",
				res.Selected, time.Since(start).Round(time.Millisecond), res.Created, res.Renamed, res.Unchanged)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "CSV with the columns kode,nama (default: the built-in official list)")
	cmd.Flags().StringArrayVar(&under, "under", nil, "import only this region and what lies below it (repeatable)")
	return cmd
}

func (a *app) tenantListCmd() *cobra.Command {
	var parent, level, q string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--parent CODE]",
		Short: "List tenants, or the children of one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withHost(func(h *host.Host) error {
				items, total, err := tenancy.List(h.DB.DB, tenancy.Filter{Parent: parent, Level: tenancy.Level(level), Query: q, Limit: limit})
				if err != nil {
					return err
				}
				if err := printList(a.stdout, asJSON, items, total, []string{"CODE", "LEVEL", "NAME"}, func(t tenancy.Tenant) []string {
					return []string{t.Code, string(t.Level), t.Name}
				}); err != nil || asJSON {
					return err
				}
				if int64(len(items)) < total {
					fmt.Fprintf(a.stderr, "(%d of %d shown; raise --limit)\n", len(items), total)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "list the direct children of this tenant")
	cmd.Flags().StringVar(&level, "level", "", "only this level: province, regency, district or village")
	cmd.Flags().StringVar(&q, "q", "", "only names containing this text")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) tenantGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "get CODE",
		Short: "Show one tenant",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withHost(func(h *host.Host) error {
				t, err := tenancy.Get(h.DB.DB, args[0])
				if err != nil {
					return err
				}
				var children int64
				h.DB.Model(&tenancy.Tenant{}).Where("parent = ?", t.Code).Count(&children)
				parent := "-"
				if t.Parent != nil {
					parent = *t.Parent
				}
				table(a.stdout, []string{"CODE", "LEVEL", "NAME", "PARENT", "CHILDREN"}, [][]string{{t.Code, string(t.Level), t.Name, parent, strconv.FormatInt(children, 10)}})
				return nil
			})
		},
	}
}

func (a *app) tenantCreateCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "create CODE NAME",
		Short:   "Create one tenant (its parent must exist)",
		Example: `  balai tenant create 14.01.01.2099 "Desa Contoh"`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAdmin(func(s *admin.Service) error {
				t, err := s.CreateTenant(cmd.Context(), operator(), args[0], args[1])
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "created %s %s (%s)\n", t.Level, t.Code, t.Name)
				return nil
			})
		},
	}
}

func (a *app) tenantRenameCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rename CODE NEW_NAME",
		Short: "Rename a tenant",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAdmin(func(s *admin.Service) error {
				t, err := s.RenameTenant(cmd.Context(), operator(), args[0], args[1])
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "renamed %s to %s\n", t.Code, t.Name)
				return nil
			})
		},
	}
}

func (a *app) tenantDeleteCmd() *cobra.Command {
	var purge bool
	cmd := &cobra.Command{
		Use:   "delete CODE [--purge]",
		Short: "Delete a tenant that has no children",
		Long: `Delete a tenant that has no children. A tenant that holds data (module
records, files, members, custom roles, module settings) is refused with the
list of what it holds; --purge erases all of it with the tenant, in one
transaction, so that a tenant created again with the same code starts empty.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAdmin(func(s *admin.Service) error {
				p, err := s.DeleteTenant(cmd.Context(), operator(), args[0], purge)
				if err != nil {
					return err
				}
				if purge && !p.Empty() {
					fmt.Fprintf(a.stdout, "deleted %s and purged %s\n", args[0], p.TenantData)
				} else {
					fmt.Fprintf(a.stdout, "deleted %s\n", args[0])
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&purge, "purge", false, "erase everything the tenant holds along with it")
	return cmd
}

// operator is the CLI's actor for the admin operations: the deployment's
// operator, acting as a superadmin, audited as cli:<OS user>.
func operator() admin.Actor { return admin.Operator(cliWho()) }

// admin returns the admin operations over an open host, the same code the
// API runs.
func (a *app) admin(h *host.Host) *admin.Service {
	return &admin.Service{DB: h.DB, Authz: h.Authz, FilesDir: filepath.Join(a.v.GetString("data"), "files"), Log: h.Log}
}

// withHost opens the host, hands it to fn and closes it after.
func (a *app) withHost(fn func(h *host.Host) error) error {
	h, err := a.open()
	if err != nil {
		return err
	}
	defer h.Close()
	return fn(h)
}

// withAdmin opens the host and hands its admin operations to fn.
func (a *app) withAdmin(fn func(s *admin.Service) error) error {
	return a.withHost(func(h *host.Host) error { return fn(a.admin(h)) })
}

// inTx opens the database and runs fn in one transaction.
func (a *app) inTx(fn func(tx *gorm.DB) error) error {
	return a.inHostTx(func(_ *host.Host, tx *gorm.DB) error { return fn(tx) })
}

// inHostTx opens the host and runs fn in one transaction.
func (a *app) inHostTx(fn func(h *host.Host, tx *gorm.DB) error) error {
	return a.withHost(func(h *host.Host) error {
		return h.DB.Transaction(func(tx *gorm.DB) error { return fn(h, tx) })
	})
}
