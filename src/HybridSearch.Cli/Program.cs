Console.WriteLine("hybridsearch: not yet");
