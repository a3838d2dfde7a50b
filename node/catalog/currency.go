package catalog

import "strings"

// currencies are the ISO 4217 codes of circulating currencies (the standard's list one,
// without funds, precious metals and testing codes), typed in by hand.
//
// NOTE: the list is not updated from the standard's maintenance agency; a currency
// introduced later is rejected until it is added here.
var currencies = func() map[string]bool {
	codes := strings.Fields(`
		AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
		BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
		ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
		IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
		MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
		OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
		SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
		UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG`)
	set := make(map[string]bool, len(codes))
	for _, c := range codes {
		set[c] = true
	}
	return set
}()

// IsCurrency reports whether code is the ISO 4217 code of a circulating currency, in
// upper case.
func IsCurrency(code string) bool {
	return currencies[code]
}

// minorUnitExceptions are the circulating currencies of ISO 4217 list one whose minor unit
// is not a hundredth: the number of decimals a price may have in each. Every other code in
// currencies has 2. The table was checked against the list's edition of 2018-08-29. CLF
// (4 decimals) is missing because it is a unit of account that currencies leaves out.
var minorUnitExceptions = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,

	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// minorUnits returns the number of decimals that a price in currency may have.
func minorUnits(currency string) int {
	if n, ok := minorUnitExceptions[currency]; ok {
		return n
	}
	return 2
}
