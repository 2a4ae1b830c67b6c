// Oracle answers attrmap's differential test with the .NET base class
// library. It reads one case per line from standard input,
//
//	op <TAB> base64(arg1) <TAB> base64(arg2) ...
//
// (each argument is the base64 of its UTF-8 bytes) and writes one line per
// case:
//
//	ok <TAB> base64(result) <TAB> base64(aux) <TAB> base64(mono)
//	err <TAB> exception type
//
// aux carries a generated input (the source text of a FormatDateTime case);
// mono is set when Mono's own answer differs from the modern .NET behaviour
// the oracle reproduces (its Unicode and number-formatting code is older).
//
// Mono has no Microsoft.VisualBasic runtime, so the VB functions (DateDiff,
// InStr, the numeric-string conversions) are ports of the reference source
// of Microsoft.VisualBasic.Core (dotnet/runtime) on top of the real
// DateTime, CompareInfo and Double.Parse.
using System;
using System.Globalization;
using System.IO;
using System.Security.Principal;
using System.Text;
using System.Text.RegularExpressions;

static class Oracle
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Modern is the invariant culture of .NET Core 3.0 and later, whose
    // calendar reads two-digit years up to 2049 (CalendarData.Invariant);
    // Mono's stops at 2029. Dates are parsed with it, and with Mono's own
    // invariant culture to report where the two differ.
    static readonly CultureInfo Modern = ModernCulture();

    static CultureInfo ModernCulture()
    {
        var c = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        c.DateTimeFormat.Calendar.TwoDigitYearMax = 2049;
        return c;
    }

    // Both runs f with the modern culture and with Mono's, and records
    // Mono's answer when it differs.
    static string Both(Func<CultureInfo, string> f)
    {
        string modern = f(Modern), m;
        try { m = f(Inv); } catch (Exception e) { m = e.GetType().Name; }
        if (m != modern) mono = m;
        return modern;
    }

    static void Main()
    {
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        stdout.NewLine = "\n";
        string line;
        while ((line = stdin.ReadLine()) != null)
        {
            var f = line.Split('\t');
            var raw = new byte[f.Length - 1][];
            var a = new string[f.Length - 1];
            for (int i = 1; i < f.Length; i++)
            {
                raw[i - 1] = Convert.FromBase64String(f[i]);
                a[i - 1] = Encoding.UTF8.GetString(raw[i - 1]);
            }
            aux = ""; mono = null;
            string res;
            try
            {
                res = Run(f[0], a, raw);
            }
            catch (Exception e)
            {
                stdout.WriteLine("err\t" + e.GetType().Name + "\t" + B64(aux));
                continue;
            }
            stdout.WriteLine("ok\t" + B64(res) + "\t" + B64(aux) + (mono != null ? "\t" + B64(mono) : ""));
        }
        stdout.Flush();
    }

    static string aux, mono;

    static string B64(string s) { return Convert.ToBase64String(Encoding.UTF8.GetBytes(s)); }

    static string Run(string op, string[] a, byte[][] raw)
    {
        switch (op)
        {
            case "mid": return Mid(a[0], int.Parse(a[1]), int.Parse(a[2]));
            case "left":
                {
                    int n = int.Parse(a[1]);
                    if (n < 0) throw new ArgumentException("Length");
                    return n >= a[0].Length ? a[0] : a[0].Substring(0, n);
                }
            case "instr": return InStr(int.Parse(a[2]), a[0], a[1], false).ToString(Inv);
            case "instrtext": return InStr(int.Parse(a[2]), a[0], a[1], true).ToString(Inv);
            case "lower": return a[0].ToLowerInvariant();
            case "upper": return a[0].ToUpperInvariant();
            case "lowerc": return a[0].ToLower(new CultureInfo(a[1]));
            case "upperc": return a[0].ToUpper(new CultureInfo(a[1]));
            case "num":
                {
                    double d = ParseCorrect(a[0]);
                    string modern = ModernDouble(d);
                    string m = d.ToString(Inv);
                    if (m != modern) mono = m;
                    return modern;
                }
            case "int":
                {
                    long l;
                    if (long.TryParse(a[0], NumberStyles.AllowLeadingSign, Inv, out l)) return l.ToString(Inv);
                    return ModernDouble(ParseCorrect(a[0])); // beyond a long: a double
                }
            case "datediff":
                return DateDiff(a[0], ParseIso(a[1]), ParseIso(a[2])).ToString(Inv);
            case "regex":
                return Regex.Replace(a[0], a[1], a[2], RegexOptions.None, TimeSpan.FromSeconds(2));
            case "vbbool": return VbToBoolean(a[0]) ? "True" : "False";
            case "vblong": return VbToLong(a[0]).ToString(Inv);
            case "vbdateadd":
                {
                    double n = VbToDouble(a[0]);
                    var t = ParseIso(a[1]).AddSeconds(Math.Truncate(n));
                    return Render(t);
                }
            case "fdt":
                {
                    var t = ParseIso(a[0]);
                    if (a[3] == "offset") t = DateTime.SpecifyKind(t, DateTimeKind.Local);
                    string src = t.ToString(a[1], Inv);
                    aux = src;
                    return Both(c =>
                    {
                        var p = DateTime.ParseExact(src, a[1], c, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite);
                        return p.ToString(a[2], Inv);
                    });
                }
            case "parseexact":
                {
                    var p = DateTime.ParseExact(a[0], a[1], Inv, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite);
                    return p.ToString(a[2], Inv); // local time is UTC (TZ=UTC), as on the service
                }
            case "cdate":
                {
                    return Both(c => Render(DateTime.Parse(a[0], c, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)));
                }
            case "utf8":
                {
                    string modern = ModernUtf8(raw[0]);
                    string m = Encoding.UTF8.GetString(raw[0]);
                    if (m != modern) mono = m;
                    return modern;
                }
            case "sid":
                return new SecurityIdentifier(raw[0], 0).Value;
        }
        throw new InvalidOperationException("unknown op " + op);
    }

    static string Render(DateTime t)
    {
        return t.ToString("M/d/yyyy h:mm:ss tt", Inv);
    }

    static DateTime ParseIso(string s)
    {
        return DateTime.ParseExact(s, "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", Inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    // Strings.Mid (Microsoft.VisualBasic.Core Strings.vb).
    static string Mid(string s, int start, int length)
    {
        if (start <= 0) throw new ArgumentException("Start");
        if (length < 0) throw new ArgumentException("Length");
        if (length == 0 || s == null) return "";
        int n = s.Length;
        if (start > n) return "";
        if (start + length > n) return s.Substring(start - 1);
        return s.Substring(start - 1, length);
    }

    // Strings.InStr(Start, String1, String2, Compare).
    static int InStr(int start, string s, string find, bool text)
    {
        if (start < 1) throw new ArgumentException("Start");
        int pos = start - 1;
        int n = s == null ? 0 : s.Length;
        if (pos > n || n == 0) return 0;
        if (string.IsNullOrEmpty(find)) return pos + 1;
        if (text)
            return Inv.CompareInfo.IndexOf(s, find, pos, CompareOptions.IgnoreCase | CompareOptions.IgnoreKanaType | CompareOptions.IgnoreWidth) + 1;
        return s.IndexOf(find, pos, StringComparison.Ordinal) + 1;
    }

    // DateAndTime.DateDiff with FirstDayOfWeek.Sunday, FirstWeekOfYear.Jan1.
    static long DateDiff(string interval, DateTime d1, DateTime d2)
    {
        TimeSpan tm = d2.Subtract(d1);
        var cal = Inv.Calendar;
        switch (interval.Trim().ToLowerInvariant())
        {
            case "d": case "y": return (long)Math.Truncate(tm.TotalDays);
            case "h": return (long)Math.Truncate(tm.TotalHours);
            case "n": return (long)Math.Truncate(tm.TotalMinutes);
            case "s": return (long)Math.Truncate(tm.TotalSeconds);
            case "ww":
                d1 = d1.AddDays(-DayOfWeekSunday(d1));
                d2 = d2.AddDays(-DayOfWeekSunday(d2));
                return (long)Math.Truncate(d2.Subtract(d1).TotalDays) / 7;
            case "w": return (long)Math.Truncate(tm.TotalDays) / 7;
            case "yyyy": return (long)cal.GetYear(d2) - cal.GetYear(d1);
            case "m": return ((long)cal.GetYear(d2) - cal.GetYear(d1)) * 12 + cal.GetMonth(d2) - cal.GetMonth(d1);
            case "q": return ((long)cal.GetYear(d2) - cal.GetYear(d1)) * 4 + (cal.GetMonth(d2) - 1) / 3 - (cal.GetMonth(d1) - 1) / 3;
        }
        throw new ArgumentException("Interval");
    }

    static int DayOfWeekSunday(DateTime t) { return ((int)t.DayOfWeek - 1 + 8) % 7 + 1; }

    // Conversions.ToBoolean(String).
    static bool VbToBoolean(string v)
    {
        if (string.Compare(v, "True", Inv, CompareOptions.IgnoreCase) == 0) return true;
        if (string.Compare(v, "False", Inv, CompareOptions.IgnoreCase) == 0) return false;
        long i;
        if (IsHexOrOct(v, out i)) return i != 0;
        return VbParseDouble(v) != 0;
    }

    // Conversions.ToLong(String): CLng of the decimal, rounded to even.
    static long VbToLong(string v)
    {
        long i;
        if (IsHexOrOct(v, out i)) return i;
        return (long)Math.Round(decimal.Parse(v, NumberStyles.Any, Inv), MidpointRounding.ToEven);
    }

    static double VbToDouble(string v)
    {
        long i;
        if (IsHexOrOct(v, out i)) return i;
        return VbParseDouble(v);
    }

    static double VbParseDouble(string v)
    {
        try
        {
            return double.Parse(v, NumberStyles.Any, Inv);
        }
        catch (OverflowException)
        {
            // .NET Core 3.0 and later return infinity (IEEE 754), where
            // Mono and .NET Framework throw.
            mono = "OverflowException";
            return v.Contains("-") ? double.NegativeInfinity : double.PositiveInfinity;
        }
    }

    // Conversions.IsHexOrOctValue.
    static bool IsHexOrOct(string v, out long i)
    {
        i = 0;
        int k = 0;
        while (k < v.Length)
        {
            char ch = v[k];
            if (ch == '&' && k + 2 < v.Length)
            {
                char kind = char.ToLowerInvariant(v[k + 1]);
                string digits = v.Substring(k + 2);
                if (kind == 'h') i = Convert.ToInt64(digits, 16);
                else if (kind == 'o') i = Convert.ToInt64(digits, 8);
                else throw new FormatException();
                return true;
            }
            if (ch != ' ' && ch != '\u3000') return false;
            k++;
        }
        return false;
    }

    // ModernDouble renders d as .NET Core 3.0 and later do: the shortest
    // digits that round-trip, in general format with 15 significant digits
    // deciding between fixed and scientific notation ("E+15", "E-05").
    static string ModernDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        string digits = null;
        int exp = 0;
        for (int p = 1; p <= 17; p++)
        {
            digits = RoundedDigits(Math.Abs(d), p, out exp);
            if (RoundTrips(digits, exp, Math.Abs(d))) break;
        }
        digits = digits.TrimEnd('0');
        if (digits == "") digits = "0";
        bool neg = d < 0;
        var sb = new StringBuilder();
        if (neg) sb.Append('-');
        if (exp >= 15 || exp < -4)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits.Substring(1));
            sb.Append('E').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", Inv));
        }
        else if (exp < 0)
        {
            sb.Append("0.").Append('0', -exp - 1).Append(digits);
        }
        else if (digits.Length <= exp + 1)
        {
            sb.Append(digits).Append('0', exp + 1 - digits.Length);
        }
        else
        {
            sb.Append(digits.Substring(0, exp + 1)).Append('.').Append(digits.Substring(exp + 1));
        }
        return sb.ToString();
    }

    // RoundedDigits returns the first p significant digits of the exact
    // decimal value of d > 0, rounded half to even as .NET Core's Dragon4
    // does, and the decimal exponent of the first digit.
    static string RoundedDigits(double d, int p, out int exp)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        int be = (int)((bits >> 52) & 0x7FF);
        long m = bits & 0xFFFFFFFFFFFFFL;
        if (be == 0) be = 1; else m |= 1L << 52;
        be -= 1075;
        System.Numerics.BigInteger n = m;
        int scale = 0; // value = n / 10^scale
        if (be >= 0) n <<= be;
        else { n *= System.Numerics.BigInteger.Pow(5, -be); scale = -be; }
        string all = n.ToString();
        exp = all.Length - 1 - scale;
        if (all.Length <= p) return all.PadRight(p, '0');
        string head = all.Substring(0, p), rest = all.Substring(p);
        int cmp = rest[0] > '5' ? 1 : rest[0] < '5' ? -1 : (rest.Substring(1).TrimEnd('0').Length > 0 ? 1 : 0);
        bool up = cmp > 0 || (cmp == 0 && (head[p - 1] - '0') % 2 == 1);
        if (!up) return head;
        var h = System.Numerics.BigInteger.Parse(head) + 1;
        string hs = h.ToString();
        if (hs.Length > p) { exp++; hs = hs.Substring(0, p); }
        return hs;
    }

    // RoundTrips reports whether the decimal 0.digits × 10^(exp+1) reads
    // back as d > 0 under IEEE round-to-nearest-even, computed exactly (as
    // .NET Core 3.0's parser does; Mono's Double.Parse is not correctly
    // rounded for some 17-digit inputs, so it cannot be the judge).
    static bool RoundTrips(string digits, int exp, double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        int be = (int)((bits >> 52) & 0x7FF);
        long m = bits & 0xFFFFFFFFFFFFFL;
        bool boundary = m == 0 && be > 1;
        if (be == 0) be = 1; else m |= 1L << 52;
        be -= 1075;
        System.Numerics.BigInteger num = System.Numerics.BigInteger.Parse(digits);
        int p10 = exp - (digits.Length - 1);
        System.Numerics.BigInteger up = 2 * (System.Numerics.BigInteger)m + 1, low = 2 * (System.Numerics.BigInteger)m - 1;
        int upE = be - 1, lowE = be - 1;
        if (boundary) { low = 4 * (System.Numerics.BigInteger)m - 1; lowE = be - 2; }
        bool even = m % 2 == 0;
        int c1 = Cmp(num, p10, low, lowE), c2 = Cmp(num, p10, up, upE);
        return (c1 > 0 || c1 == 0 && even) && (c2 < 0 || c2 == 0 && even);
    }

    // ParseCorrect reads a plain decimal number (sign, digits, point) as
    // the nearest double, ties to even, as .NET Core 3.0's parser does;
    // Mono's Double.Parse is off by one unit in the last place for some
    // 16- and 17-digit inputs (5149.904623199252).
    static double ParseCorrect(string s)
    {
        bool neg = s.StartsWith("-");
        if (neg || s.StartsWith("+")) s = s.Substring(1);
        int dot = s.IndexOf('.');
        int frac = dot < 0 ? 0 : s.Length - dot - 1;
        var num = System.Numerics.BigInteger.Parse(s.Replace(".", ""), Inv);
        var den = System.Numerics.BigInteger.Pow(10, frac);
        if (num.IsZero) return neg ? -0.0 : 0.0;
        var two53 = System.Numerics.BigInteger.Pow(2, 53);
        var two52 = System.Numerics.BigInteger.Pow(2, 52);
        int e = (int)Math.Floor(System.Numerics.BigInteger.Log(num, 2) - System.Numerics.BigInteger.Log(den, 2)) - 52;
        System.Numerics.BigInteger q, r, dd;
        while (true)
        {
            if (e < -1074) e = -1074;
            var n2 = e < 0 ? num * System.Numerics.BigInteger.Pow(2, -e) : num;
            dd = e > 0 ? den * System.Numerics.BigInteger.Pow(2, e) : den;
            q = System.Numerics.BigInteger.DivRem(n2, dd, out r);
            if (q >= two53) { e++; continue; }
            if (q < two52 && e > -1074) { e--; continue; }
            break;
        }
        int c = (2 * r).CompareTo(dd);
        if (c > 0 || c == 0 && !q.IsEven) q += 1;
        if (q == two53) { q = two52; e++; }
        long bits = q >= two52 ? ((long)(e + 1075) << 52) | (long)(q - two52) : (long)q;
        double v = BitConverter.Int64BitsToDouble(bits);
        return neg ? -v : v;
    }

    // Cmp compares a × 10^a10 with b × 2^b2.
    static int Cmp(System.Numerics.BigInteger a, int a10, System.Numerics.BigInteger b, int b2)
    {
        var ten = new System.Numerics.BigInteger(10);
        var two = new System.Numerics.BigInteger(2);
        if (a10 > 0) a *= System.Numerics.BigInteger.Pow(ten, a10); else b *= System.Numerics.BigInteger.Pow(ten, -a10);
        if (b2 > 0) b *= System.Numerics.BigInteger.Pow(two, b2); else a *= System.Numerics.BigInteger.Pow(two, -b2);
        return a.CompareTo(b);
    }

    // ModernUtf8 decodes as .NET Core 3.0 and later do: one U+FFFD per
    // maximal subpart of an ill-formed sequence (Unicode 3.9, table 3-8).
    static string ModernUtf8(byte[] b)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < b.Length)
        {
            int c = b[i];
            if (c < 0x80) { sb.Append((char)c); i++; continue; }
            int need, lo = 0x80, hi = 0xBF, cp;
            if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
            else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
            else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
            else { sb.Append('\uFFFD'); i++; continue; }
            int j = i + 1;
            bool ok = true;
            for (int k = 0; k < need; k++, j++)
            {
                if (j >= b.Length) { ok = false; break; }
                int lim0 = k == 0 ? lo : 0x80, lim1 = k == 0 ? hi : 0xBF;
                if (b[j] < lim0 || b[j] > lim1) { ok = false; break; }
                cp = (cp << 6) | (b[j] & 0x3F);
            }
            if (!ok) { sb.Append('\uFFFD'); i = j; continue; }
            sb.Append(char.ConvertFromUtf32(cp));
            i = j;
        }
        return sb.ToString();
    }
}
