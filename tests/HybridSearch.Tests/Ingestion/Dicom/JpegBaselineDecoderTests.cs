using HybridSearch.Ingestion.Dicom;
using HybridSearch.Ingestion.Media;

namespace HybridSearch.Tests.Ingestion.Dicom;

/// <summary>
/// <see cref="JpegBaselineDecoder"/> against libjpeg-turbo 2.1.5 itself: each fixture is a small JPEG made by its
/// <c>cjpeg</c> (sampling factors and restart intervals the DICOM tools do not make: h1v2, 4:1:1 as 4x1, a component
/// two samples wide, restarts every MCU row and every 3 MCUs, quality 100) with an Adobe marker (transform 1)
/// inserted so the RGB path converts colour as libjpeg does, and the expected pixels are its <c>djpeg -pnm</c>
/// output. The decoder must give them exactly.
/// </summary>
public sealed class JpegBaselineDecoderTests
{
    private static readonly Dictionary<string, Fixture> Fixtures = new()
    {
        ["h2v2-restart-rows"] = new(17, 9, 3,
            "/9j/7gAOQWRvYmUAZAAAAAAB/+AAEEpGSUYAAQEAAAEAAQAA/9sAQwAIBgYHBgUIBwcHCQkICgwUDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLC"
            + "McHCg3KSwwMTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCwwYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
            + "MjIyMjIyMjIy/8AAEQgACQARAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQ"
            + "ECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0"
            + "dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB"
            + "8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1Lw"
            + "FWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6"
            + "ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/dAAQAAv/aAAwDAQACEQMRAD8AwNJ8HW+oanc3VrHbrAk2"
            + "/ZKnADEkDAGMcdPStU6drmnXsEX9n6V5D7TJLbjCgE+5B45PQ9aqeGv+Qxbf9cpP/QGro7j/AI/W+v8A7MavMnRwNdRUOZWXV+a8ypzxGGquEZ"
            + "3ptfDb9b+Qv/CQeBf+fyT/AL9zf4UV45RXq+y/r+mdP9hR/wCgir/4H/wD/9k=",
            "ACcAAA4ADgcZJAYoIgAQRgsNaQYBcgAAixAtiAMiwiQynQ0Wu1xwonB7fHFfi352qWyYdapkBCgAIiAlOyU6OiQnWC0keikW23Zs0mt+2WV892"
            + "py7Wdwx26ErHmKmIqBlpWQgnWRb6VNBy4AKTAeQTw4RUQvXE8sc0satnxWw4aBxnd9ylpZ63yDtWaDr36cpI+YgJaUg9XRjap0VmpHREVKQEJP"
            + "OExDOVAzZ3E/Y2Q4KyccUjc8byovgjFCRQAvRxBHWDJbaH2Sde7noIusbFaFTTiDSEiQRWyXJWVuSJJ3TJd5AD8/G0FUQzdNRxpDWiBsaCeBWh"
            + "hvd22sguv+h1ioYDiQc1bCY2fKf7n4aMvgVdG3Ze3JX+HZeNrlhK3BNjNePh1uSBF2XRyEsZTomsv2dkWXbESdaVW4P1Cocr7yYN3jPOCuO/Ky"
            + "O+3JYPPjf9vYbpyzmqDeoY3il3TSu4/mSRxfdjeghlG9YTusXlm9qNX/bMrWVeKtQOKWN9aeYurCddOxfbanjqSykpK0k4q1n3ixaBJbeSCwgC"
            + "u8hjjKcTa3XUKjUFmCl86mbLhtfMeGZqdnf61kb41HhJJXipJhgo5gn46GXA1O"),
        ["h1v2-and-h2v2"] = new(17, 9, 3,
            "/9j/7gAOQWRvYmUAZAAAAAAB/+AAEEpGSUYAAQEAAAEAAQAA/9sAQwAIBgYHBgUIBwcHCQkICgwUDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLC"
            + "McHCg3KSwwMTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCwwYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
            + "MjIyMjIyMjIy/8AAEQgACQARAwEiAAIhAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQ"
            + "ECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0"
            + "dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB"
            + "8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1Lw"
            + "FWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6"
            + "ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8AwNJ8HW+oanc3VrHbrAk2/ZKnADEk"
            + "DAGMcdPStU6drmnXsEX9n6V5D7TJLbjCgE+5B45PQ9aqeGv+Qxbf9cpP/QGro7j/AI/W+v8A7Ma9LMcDQw+HcoJ6WW71vZf1oeCswowbi6Pfq0"
            + "VOeIw1VwjO9Nr4bfrfyF/4SDwL/wA/kn/fub/CivHKK+k9kgOn+wo/9BFX/wAD/wCAf//Z",
            "ACkAAAcODg8AJAcmIgIHRgQ0aQA6cgAAixURiA0AwiUunQktu15monB8fGt9i4BsqWqhdaxbBCAjIicAOyY3OicWWCg+eh9I23pX0m5w2W1T92"
            + "l17WOHx3B2rHqFmIaSlpl6gnOcb6dGByUbKTYBQT0yRUsNXE4xc0Q8toBCw4SPxnpqyldo63eatWtsr4OEpJCSgJ5og9Peja1iVmFzREg3QEJO"
            + "OFMcOVIoZ25NY2khKyE5Ujk1byZEgiteRQQcRxUyWDNVaIVpde3uoJR+bFGgTTt1SEaZRXNxJWlaSJRuTJ1aADldG0NNQzJmRxNoWiFoaCeDWh"
            + "V/d2+igu31h16GYDGzc1e+Y2Taf77daM7QVdSrZfC1X9zyeNzahKnTNi1+Ph1sSBB9XRebsZPpms3sdkGpbDfdaVLEP026csHiYNzmPN+wO+/A"
            + "O+vXYPfMf9vabpnDmqLQoY7fl3Heu5DfSRxfdjK5hkX3YTqxXlbNqNX/bMbpVeKtQN6tN9OsYu+rddOxfbO1jqamkpOyk4jCn3ufaBBmeSKlgC"
            + "fNhj2zcTS/XT6zUFOil9KSbLhufMKeZqhef6pyb4hghJFZipBqgop1n5VkXAlh"),
        ["h2v1-restart-blocks"] = new(17, 9, 3,
            "/9j/7gAOQWRvYmUAZAAAAAAB/+AAEEpGSUYAAQEAAAEAAQAA/9sAQwABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
            + "EBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/9sAQwEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB"
            + "AQEBAQEBAQEB/8AAEQgACQARAwEhAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQ"
            + "ECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0"
            + "dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB"
            + "8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1Lw"
            + "FWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6"
            + "ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/dAAQAA//aAAwDAQACEQMRAD8A+Cv2eP8Agm14F+MHxe+J"
            + "HxE+G2ifDjT/AARo3xLg8TL4Z8aeHLtNFstB8Ya34h1rwv4cbQ/Dumy6SNBtY9FtrPU/D2NJsYdCkis4Yo2WW5uPqiT4M/thfBf4geB/Db/A79"
            + "j+TwNri+FrjxX4y+ElrFp/h7T9Pv8AxBd2t49zBrfiTwn4ovb/AELT4NW1mX+zfDPinT746npsdla3esz3NhF+iU/owUcP4jV+CeLPHTx9ybif"
            + "hnh7JJYHGeC3FeWcBUsTmVbLMTmXEeAxrqPibMMdN4Ktk+FyPNpLL44tV+JcFmmX4LDRw2JxOnh59MHhngjxD42+hVxbl2C414jyzhvKsxzLNe"
            + "NeCKOacCY/NIcPZZxJQwtfCf6w5tmmKyzAUsfw7mWXYivwz9ded5d9br0MLUwVLG1fsb/hsP8A4Izf9FW8T/8AhHftQf8AzJUV+w8mC/6OLxf/"
            + "AOJ74pf/AEUn8t/8Q+/bQ/8ARpfBP/xSP7OT/wCl+fm3+xB/yXf4Z/8AYgfFL/1XPxEr9HvGP/JQNQ/7CNr/AOpd4hr+Q/2oX/J5+H/+yG4a/w"
            + "DXi8dn9dePv/JX4f8A7I9f+rjxAP/Q/lfor/Qg/wBYD//Z",
            "CAoFDggKHQMQKAEWMQEZTg0rWwUoZAAqfg1DgwVEqBlbhR9obWy8UoHTUnvNWX7PZITXbaRjBSoAFRkCOCcfPiskUy8jaigO0HVI23En63sl43"
            + "0p5Hom83wg5W4S3Xge7ntC6kxJa6xaBT4AHksUKUIaTEkmZEgjf0ka1ohI2nci54Aj3YIp0nQc12sR534i24cnqJpRcuHBacppHHAaFFAQNlwr"
            + "PFMnQVApXW5EXVteRRp2VBKWXhuPaCKWTQeBTRWSQiSeW3nPde39kpusXE5/dz+qfTG4iELGZ0KSaYBsbol4NxtyWBqjXw+UWgmJURKEViuWOS"
            + "eLWX/Ic+//m0bFgTe0e0S8Vl6pY9nNO+iwPey1SvnAQe6uV+S6fdDYGzBnRxt9Wg56XhVmrp3Tft35cy7FgD7UfkDRUVGzXtneM+nBK+G5PPLK"
            + "Q/3MVfXRcN3YbqvHlKnijYvUl5bco4XLYA1VgTDKhzvPeDS9XV6xa+neO/m9MPKsLu+sJeOnROm/Zd7LbbHEiJrck4jkiH/aon7VaxFZcyC2eS"
            + "y6g0G/djKtfi2wd0KUssGkhK9gnLpyg55Xh6pYbZE3gp44f543cps7kptwVRJH"),
        ["h4v1"] = new(17, 9, 3,
            "/9j/7gAOQWRvYmUAZAAAAAAB/+AAEEpGSUYAAQEAAAEAAQAA/9sAQwAIBgYHBgUIBwcHCQkICgwUDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLC"
            + "McHCg3KSwwMTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCwwYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
            + "MjIyMjIyMjIy/8AAEQgACQARAwFBAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQ"
            + "ECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0"
            + "dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB"
            + "8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1Lw"
            + "FWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6"
            + "ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8AwNJ8HW+oanc3VrHbrAk2/ZKnADEk"
            + "DAGMcdPStU6drmnXsEX9n6V5D7TJLbjCgE+5B45PQ9a2f+Eg8C/8/kn/AH7m/wAKK7aWGVG96kr3s9XbTsl+JzV6+YYqCjgIpum3GTcYN6PT47"
            + "6b7fPoc34a/wCQxbf9cpP/AEBq6O4/4/W+v/sxrx2ijD/77iPVfqe9gf4tT5fqf//Z",
            "HQkSDQACGAQNIAwVUgAjYwA0aQA6ZAA1iwhYgQBOqCV1jAlZToitU42yRX+kVI6zUordd6R5ACoABjMIE0AVRCMUUjEiWDcorIt88m4Z8GwX+3"
            + "ci9nIdxIoAw4kAxowAzpQF/zZOfKBIDDAAHUEALlIAT0MZXFAmXlIolopg8HlO53BF01wx9n9U41w/8mtO+HFU8WpNWuvOd7N9PHhCIV0nH1sl"
            + "LVM+LlQ/UHZhR21YSQlqYiKDYSGCbS2OHQOIKhCVRSuwfGLnU/j/u3nAiEaNbStydjR7Wmd3SFVlbnuLcn+PQBBzTh6BUyOGQhJ1RCCmTyuxQB"
            + "yigV3jZvr6hFTEYzOjgFDAhlbGRt/NR+DOQNnHV/DeedjCft3HY8KsAFhCTxZjTBNgWiFuxYzZSu7/ejjOdzXLg0HXcjDGJu3GMfjRIunCLfTN"
            + "UOivYfnAW/O6LcWMkKfTiJ/LdIu3kajUpABxgSnLmEDifibIkTnbWP/EOO6kO/GnMuieQs2uX+rLVeDBRdCxkJb2h43tg4npe4HhfAlWaya0dT"
            + "C+gDvJdjG/Y0xeaVJkx7DCp5Cio7lnhpxKkadVdow6caE9dKRAb587fKxIagFm"),
        ["h2v2-narrow"] = new(3, 5, 3,
            "/9j/7gAOQWRvYmUAZAAAAAAB/+AAEEpGSUYAAQEAAAEAAQAA/9sAQwAIBgYHBgUIBwcHCQkICgwUDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLC"
            + "McHCg3KSwwMTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCwwYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
            + "MjIyMjIyMjIy/8AAEQgABQADAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQ"
            + "ECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0"
            + "dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB"
            + "8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1Lw"
            + "FWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6"
            + "ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A1LLw5pTWUX+hxKQuDtXAJHBIA4GT"
            + "k4HTNFFFdNDL8NUpRnON20m9+p7uCxmIjhqaU38K6+R//9k=",
            "FgwLIxkY4S4xnZOSfnRz4i8yE3UsiOqh2I1uEnQrlPat4ZZ3TMqDP712xo2w"),
        ["grey-restart"] = new(17, 9, 1,
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PT"
            + "gyPC4zNDL/wAALCAAJABEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIh"
            + "MUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhI"
            + "WGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/90ABAAC/9oACAEB"
            + "AAA/AOQ8DX8MFiYHu5nXauFOWVDySFz05Pb+tes+H9Fln1BINU0vEWCyyNOB3HACnPIya//Q9j/4Q/Qv+fNv/AiT/wCKr5W8J/fX/e/9lWv/0f"
            + "Q9a/5FTU/+wdcf+i6+Wa//2Q==",
            "BSaffJV+gpKIfZ+WcXqNjpkEAA8zfqyJgI6MjJmOiISJhAwSJip5eYGEhI5/qL/W2v7/ACxFPoxzjoqAiZGvrt3T/P8ARTxYfpOVk4JofXdhxM"
            + "nw/w5JQ0ZfboCAfFVqXVXJ4/r/DxIbGFNVa1/Aw8/Lw+jy6/8BCxVAQ1hWa8PnzsnIvef0/QogDUE7TmFuwNXV4sbg6T4d"),
    };

    public static TheoryData<string> Names() => [.. Fixtures.Keys];

    /// <summary>The JPEG stream of a fixture (for tests that wrap it in DICOM).</summary>
    public static byte[] Jpeg(string name) => Convert.FromBase64String(Fixtures[name].Jpeg);

    [Theory]
    [MemberData(nameof(Names))]
    public void DecodesExactlyAsLibjpegTurbo(string name)
    {
        var fixture = Fixtures[name];
        var samples = JpegBaselineDecoder.Decode(Jpeg(name), name, fixture.Components == 1 ? "MONOCHROME2" : "RGB", 1 << 20, out var photometric);

        Assert.Equal(fixture.Components == 1 ? "MONOCHROME2" : "RGB", photometric);
        var expected = Convert.FromBase64String(fixture.Pixels);
        Assert.Equal(fixture.Width * fixture.Height * fixture.Components, expected.Length);
        Assert.Equal(expected, samples.Select(s => (byte)s).ToArray());
        Assert.All(samples, s => Assert.True(s <= 255));
    }

    [Fact]
    public void YbrPhotometricKeepsTheDecodedYcbcrForTheRenderer()
    {
        var samples = JpegBaselineDecoder.Decode(Jpeg("h2v2-restart-rows"), "ybr", "YBR_FULL_422", 1 << 20, out var photometric);
        var rgb = JpegBaselineDecoder.Decode(Jpeg("h2v2-restart-rows"), "rgb", "RGB", 1 << 20, out _);

        Assert.Equal("YBR_FULL", photometric);
        Assert.NotEqual(rgb, samples);
        Assert.Equal(17 * 9 * 3, samples.Length);
    }

    [Fact]
    public void RgbPhotometricWithoutAnAdobeMarkerIsNotColourConverted()
    {
        var adobe = Jpeg("h4v1");
        var withoutAdobe = adobe.Take(2).Concat(adobe.Skip(2 + 16)).ToArray(); // the fixture's Adobe segment is 16 bytes
        var raw = JpegBaselineDecoder.Decode(withoutAdobe, "raw", "RGB", 1 << 20, out var photometric);
        var ycc = JpegBaselineDecoder.Decode(adobe, "ycc", "YBR_FULL", 1 << 20, out _);

        Assert.Equal("RGB", photometric);
        Assert.Equal(ycc, raw); // the components as decoded, like pydicom and dcmtk give them
    }

    [Fact]
    public void ProgressiveJpegIsRefusedByName()
    {
        var jpeg = Jpeg("grey-restart");
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[sof + 1] = 0xC2;

        var error = Assert.Throws<DicomFormatException>(() => JpegBaselineDecoder.Decode(jpeg, "prog.dcm", "MONOCHROME2", 1 << 20, out _));

        Assert.Equal(MediaDecodeFailure.UnsupportedFormat, error.Failure);
        Assert.Contains("SOF2", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AFrameOverThePixelLimitIsRefusedBeforeDecoding()
    {
        var error = Assert.Throws<DicomFormatException>(() => JpegBaselineDecoder.Decode(Jpeg("grey-restart"), "big.dcm", "MONOCHROME2", 100, out _));

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
    }

    [Fact]
    public void ACutStreamGivesTheTypedError()
    {
        var jpeg = Jpeg("h1v2-and-h2v2");
        for (var length = 0; length < jpeg.Length - 40; length += 7)
        {
            var cut = jpeg[..length];
            Assert.Throws<DicomFormatException>(() => JpegBaselineDecoder.Decode(cut, "cut.dcm", "RGB", 1 << 20, out _));
        }
    }

    private sealed record Fixture(int Width, int Height, int Components, string Jpeg, string Pixels);
}
