// Package nearby holds what sister brands' boutiques near this one have in stock, so that
// an assistant can point a client with group consent to them: "our sister house two streets
// away has the pearl clutch".
//
// Each boutique serves its in-stock items to the other boutiques of its group, and each
// boutique fetches the lists of the sister boutiques within a distance of its own location
// and keeps them in memory for a few minutes. The client's profile never travels for
// this: the boutique she walks into ranks the sister boutiques' items itself.
package nearby
