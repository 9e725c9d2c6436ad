// Assembly-level settings for the HybridSearch library.
[assembly: System.CLSCompliant(false)]
