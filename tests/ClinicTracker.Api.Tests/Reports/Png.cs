using System.Buffers.Binary;
using System.IO.Compression;

namespace ClinicTracker.Api.Tests.Reports;

/// <summary>
/// A minimal PNG reader for the screenshot tests: 8-bit RGB or RGBA, not interlaced (what Chromium writes); the
/// IDAT stream inflated with <see cref="ZLibStream"/> and the five scanline filters undone (PNG spec §9).
/// </summary>
internal sealed class Png
{
    private Png(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Pixels, row by row, 4 bytes each (alpha 255 for RGB images).</summary>
    public byte[] Rgba { get; }

    public static Png Read(byte[] file)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (!file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, colour, interlace) = (data[8], data[9], data[12]);
                channels = colour switch
                {
                    2 => 3,
                    6 => 4,
                    _ => throw new InvalidDataException($"PNG colour type {colour} is not supported here."),
                };
                if (depth != 8 || interlace != 0)
                {
                    throw new InvalidDataException($"PNG bit depth {depth} / interlace {interlace} is not supported here.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        if (raw.Length < height * (stride + 1))
        {
            throw new InvalidDataException("The PNG image data is shorter than its header says.");
        }

        var previous = new byte[stride];
        var current = new byte[stride];
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan((y * (stride + 1)) + 1, stride).CopyTo(current);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? current[i - channels] : 0;
                int up = previous[i];
                int upLeft = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(current[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                });
            }

            for (var x = 0; x < width; x++)
            {
                var o = ((y * width) + x) * 4;
                rgba[o] = current[x * channels];
                rgba[o + 1] = current[(x * channels) + 1];
                rgba[o + 2] = current[(x * channels) + 2];
                rgba[o + 3] = channels == 4 ? current[(x * channels) + 3] : (byte)255;
            }

            (previous, current) = (current, previous);
        }

        return new Png(width, height, rgba);
    }

    /// <summary>Pixels that are not opaque white (the chart's background, and the page's around it).</summary>
    public int NonWhitePixels()
    {
        var count = 0;
        for (var o = 0; o < Rgba.Length; o += 4)
        {
            if (Rgba[o + 3] != 0 && (Rgba[o] != 255 || Rgba[o + 1] != 255 || Rgba[o + 2] != 255))
            {
                count++;
            }
        }

        return count;
    }

    public int DistinctColours() =>
        Enumerable.Range(0, Rgba.Length / 4).Select(i => BinaryPrimitives.ReadInt32BigEndian(Rgba.AsSpan(i * 4))).Distinct().Count();

    /// <summary>Pixels of exactly this colour (#rrggbb).</summary>
    public int PixelsOf(string hex)
    {
        var rgb = Convert.FromHexString(hex.TrimStart('#'));
        var count = 0;
        for (var o = 0; o < Rgba.Length; o += 4)
        {
            if (Rgba[o] == rgb[0] && Rgba[o + 1] == rgb[1] && Rgba[o + 2] == rgb[2])
            {
                count++;
            }
        }

        return count;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
