// Entry point of the `patchbay` executable: builds the command tree and runs the parsed command.
using Patchbay.Cli;

return await PatchbayCommand.Create().Parse(args).InvokeAsync();
