package input

import (
	"fmt"
	"strings"
	"testing"
)

// budgetBody is a large village's budget as PUT /budgets/{year} takes it:
// 300 lines, each with one whole-rupiah amount.
func budgetBody() []byte {
	var b strings.Builder
	b.WriteString(`{"kind":"apbdes","lines":[`)
	for i := range 300 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"section":"spending","code":"2.3.%02d","account":"5.2","name":"Belanja barang dan jasa %d","amount":%d,"source":"DDS"}`, i%99+1, i, 1_250_000+i*1000)
	}
	b.WriteString(`],"totals":{"income":1250000000,"spending":1100000000,"financing_receipts":0,"financing_expenditures":0}}`)
	return []byte(b.String())
}

type plainLine struct {
	Section string `json:"section"`
	Code    string `json:"code"`
	Account string `json:"account"`
	Name    string `json:"name"`
	Amount  int64  `json:"amount"`
	Source  string `json:"source"`
}

type plainTotals struct {
	Income                int64 `json:"income"`
	Spending              int64 `json:"spending"`
	FinancingReceipts     int64 `json:"financing_receipts"`
	FinancingExpenditures int64 `json:"financing_expenditures"`
}

type plainBudget struct {
	Kind   string       `json:"kind"`
	Lines  []plainLine  `json:"lines"`
	Totals *plainTotals `json:"totals"`
}

type taggedLine struct {
	Section string `json:"section"`
	Code    string `json:"code"`
	Account string `json:"account"`
	Name    string `json:"name"`
	Amount  int64  `json:"amount" range:"invalid_amount"`
	Source  string `json:"source"`
}

type taggedTotals struct {
	Income                int64 `json:"income" range:"totals_mismatch"`
	Spending              int64 `json:"spending" range:"totals_mismatch"`
	FinancingReceipts     int64 `json:"financing_receipts" range:"totals_mismatch"`
	FinancingExpenditures int64 `json:"financing_expenditures" range:"totals_mismatch"`
}

type taggedBudget struct {
	Kind   string        `json:"kind"`
	Lines  []taggedLine  `json:"lines"`
	Totals *taggedTotals `json:"totals"`
}

// BenchmarkDecodeBudget decodes a 300-line budget (about 40 KB) into the
// same shape without and with range tags: the tag costs the walk nothing
// it did not already do (the number is parsed once either way).
func BenchmarkDecodeBudget(b *testing.B) {
	body := budgetBody()
	for _, c := range []struct {
		name string
		v    func() any
	}{{"untagged", func() any { return new(plainBudget) }}, {"tagged", func() any { return new(taggedBudget) }}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := DecodeBytes(body, c.v()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
