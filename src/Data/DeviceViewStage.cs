namespace Vicreg.Data;

/// <summary>What the training device needs to finish one branch's batch of views (data.augment_on device): the
/// branch's augmentation settings, its channel count, and each row's draws, in batch order. The batch's view tensor
/// then holds the host part: [B, Size, Size, 3] bytes, cropped and resized.</summary>
public sealed record DeviceViewStage(ViewAugmentation View, int Channels, DrawnImageView[] Drawn);
