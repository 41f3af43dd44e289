package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// table prints rows aligned under headers.
func table(w io.Writer, headers []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// printList prints a list command's items: with --json (asJSON) as
// {"items":[...],"total":N}, total counting what the filter matched;
// else as a table of headers with one row per item.
func printList[T any](w io.Writer, asJSON bool, items []T, total int64, headers []string, row func(T) []string) error {
	if asJSON {
		return printJSON(w, map[string]any{"items": items, "total": total})
	}
	rows := make([][]string, len(items))
	for i, it := range items {
		rows[i] = row(it)
	}
	table(w, headers, rows)
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
